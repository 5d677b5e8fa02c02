using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.ObjectStores;

namespace StorageApi.Objects;

/// <summary>
/// Removes bytes in the blob store that no row refers to (an upload cut between the store and the commit, a delete
/// whose store was down) and writes that never completed, once they are a day old: younger ones may be uploads in
/// flight. Only under the prefixes of this instance's tenants, only in a store this instance owns.
/// </summary>
public sealed class OrphanSweeper(IServiceScopeFactory scopes, BlobStoreGuard guard, StorageSettings settings,
    TimeProvider clock, ILogger<OrphanSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan MinimumAge = TimeSpan.FromDays(1);
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private const int BatchSize = 500;

    /// <summary>One sweep; returns how many orphans and incomplete writes it removed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var store = await guard.ClaimedStoreAsync(db, cancellationToken);
        var cutoff = clock.GetUtcNow().UtcDateTime - MinimumAge;
        var names = await NamesOfAsync(db, store, cancellationToken);
        var tenants = settings.TenantId is { } only ? [only] : await db.Tenants.Select(t => t.Id).ToListAsync(cancellationToken);
        var removed = 0;
        foreach (var tenant in tenants)
        {
            await foreach (var batch in store.ListAsync(tenant + "/", cancellationToken).Where(k => k.LastModifiedUtc < cutoff)
                               .Select(k => k.Key).Chunk(BatchSize).WithCancellation(cancellationToken))
            {
                var known = await db.Blobs.Where(b => names.Contains(b.Store) && batch.Contains(b.Key)).Select(b => b.Key).ToListAsync(cancellationToken);
                foreach (var key in batch.Except(known))
                {
                    await store.DeleteAsync(key, cancellationToken);
                    removed++;
                }
            }
        }
        removed += await store.DeleteIncompleteAsync(cutoff, cancellationToken);
        if (removed > 0) logger.LogInformation("Removed {Count} orphaned or incomplete writes from {Store}", removed, store.Url);
        return removed;
    }

    /// <summary>Every way the rows name this store: 'file:' and 'file:///srv/…/blobs' can be the same folder.</summary>
    private async Task<List<string>> NamesOfAsync(StorageDb db, IObjectStore store, CancellationToken cancellationToken)
    {
        var recorded = await db.Blobs.Select(b => b.Store).Distinct().ToListAsync(cancellationToken);
        return [.. recorded.Where(text => SameStore(ObjectStoreUrl.Parse(text, settings.BlobDirectory), store.Url)).Append(store.Url.Text).Distinct()];
    }

    private static bool SameStore(ObjectStoreUrl a, ObjectStoreUrl b) =>
        a.IsS3 ? a.Bucket == b.Bucket && a.Prefix == b.Prefix : a.Folder == b.Folder;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Orphan sweep failed; retrying in {Interval}", Interval);
            }
        }
    }
}
