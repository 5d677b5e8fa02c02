using System.Text.RegularExpressions;
using StorageApi.Configuration;
using StorageApi.Tenancy;

namespace StorageApi.Objects;

/// <summary>
/// Content-addressed bytes per tenant: <c>blobs/&lt;tenant&gt;/&lt;aa&gt;/&lt;sha256&gt;</c>. Uploads are staged in
/// <c>tmp/</c> on the same file system and moved into place atomically, so a reader never sees half a file.
/// </summary>
public sealed partial class BlobStore(StorageSettings settings)
{
    // "Does anything still use these bytes?" and "add an object using these bytes" must not interleave: not between
    // requests of this process (striped semaphores), nor between processes sharing the data folder, such as the old
    // and the new slot during a deploy, or several instances on one PostgreSQL (<data>/locks/<tenant>/<aa>.lock).
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(5);

    public StagedBlob Stage()
    {
        Directory.CreateDirectory(settings.TempDirectory);
        return new StagedBlob(Path.Combine(settings.TempDirectory, $"upload-{Guid.NewGuid():N}.part"));
    }

    public string PathOf(string tenantId, string sha256)
    {
        if (!TenantIds.IsValid(tenantId)) throw new ArgumentException($"invalid tenant id '{tenantId}'", nameof(tenantId));
        if (!Sha256Pattern().IsMatch(sha256)) throw new ArgumentException($"invalid sha256 '{sha256}'", nameof(sha256));
        return Path.Combine(settings.BlobDirectory, tenantId, sha256[..2], sha256);
    }

    public async Task<IDisposable> LockAsync(string tenantId, string sha256, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)HashCode.Combine(tenantId, sha256) % _stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            _ = PathOf(tenantId, sha256); // validates both before they name a file
            var lockFile = Path.Combine(settings.DataDirectory, "locks", tenantId, sha256[..2] + ".lock");
            return new Releaser(stripe, await LockFileAsync(lockFile, cancellationToken));
        }
        catch
        {
            stripe.Release();
            throw;
        }
    }

    /// <summary>
    /// Opens the lock file exclusively. On Unix, FileShare.None takes an advisory lock (flock) that other processes'
    /// opens respect; while one holds it, the open fails at once, so this polls. The lock goes with the process if it dies.
    /// </summary>
    private static async Task<FileStream> LockFileAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                await Task.Delay(LockRetry, cancellationToken);
            }
        }
    }

    /// <summary>Moves the staged bytes into the store (hold the lock). Returns false when identical bytes were already there.</summary>
    public bool Commit(StagedBlob staged, string tenantId)
    {
        var target = PathOf(tenantId, staged.Sha256);
        if (File.Exists(target)) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(staged.Path, target, overwrite: false);
        staged.MarkCommitted();
        return true;
    }

    public void Delete(string tenantId, string sha256) => File.Delete(PathOf(tenantId, sha256));

    /// <summary>Removes staging files left behind by a crash.</summary>
    public int DeleteStaleStagingFiles(DateTime olderThanUtc)
    {
        if (!Directory.Exists(settings.TempDirectory)) return 0;
        var removed = 0;
        foreach (var file in new DirectoryInfo(settings.TempDirectory).EnumerateFiles("upload-*.part"))
        {
            if (file.LastWriteTimeUtc >= olderThanUtc) continue;
            file.Delete();
            removed++;
        }
        return removed;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    private sealed class Releaser(SemaphoreSlim stripe, FileStream lockFile) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            lockFile.Dispose();
            stripe.Release();
        }
    }
}
