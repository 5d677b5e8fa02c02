using System.Diagnostics;

namespace StorageApi.Backups;

/// <summary>Renews the backup lease at most every <paramref name="every"/>, from however many copies run at once.</summary>
public sealed class LeaseRenewal(BackupLease lease, string holder, TimeSpan every) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly Stopwatch _since = Stopwatch.StartNew();

    public async Task RenewIfDueAsync(CancellationToken cancellationToken)
    {
        if (_since.Elapsed < every) return;
        await _one.WaitAsync(cancellationToken);
        try
        {
            if (_since.Elapsed < every) return; // another copy renewed it meanwhile
            await lease.RenewAsync(holder, cancellationToken);
            _since.Restart();
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose() => _one.Dispose();
}
