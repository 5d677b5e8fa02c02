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
        var tenants = settings.TenantId is { } only ? [only] : await db.Tenants.Select(t => t.Id).ToListAsync(cancellationToken);
        var removed = await SweepKeysAsync(db, store, tenants, settings, cutoff, cancellationToken);
        removed += await store.DeleteIncompleteAsync(cutoff, cancellationToken);
        if (removed > 0) logger.LogInformation("Removed {Count} orphaned or incomplete writes from {Store}", removed, store.Url);
        return removed;
    }

    /// <summary>
    /// Removes the blob keys under the tenants' prefixes of <paramref name="store"/> (one this instance owns) that no row
    /// names and that were written before <paramref name="cutoff"/>; returns how many. Also used by
    /// <see cref="BlobMigration"/> on the stores it moved bytes out of, which this sweeper no longer visits once
    /// BLOB_STORE_URL names the new one.
    /// </summary>
    public static async Task<int> SweepKeysAsync(StorageDb db, IObjectStore store, IEnumerable<string> tenants, StorageSettings settings,
        DateTime cutoff, CancellationToken cancellationToken)
    {
        var names = await NamesOfAsync(db, store.Url, settings, cancellationToken);
        var removed = 0;
        foreach (var tenant in tenants)
        {
            await foreach (var batch in store.ListAsync(tenant + "/", cancellationToken).Where(k => k.LastModifiedUtc < cutoff && BlobStore.IsBlobKey(tenant, k.Key))
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
        return removed;
    }

    /// <summary>Every way the rows name this store: 'file:' and 'file:///srv/…/blobs' can be the same folder.</summary>
    public static async Task<List<string>> NamesOfAsync(StorageDb db, ObjectStoreUrl store, StorageSettings settings, CancellationToken cancellationToken)
    {
        var recorded = await db.Blobs.Select(b => b.Store).Distinct().ToListAsync(cancellationToken);
        return [.. recorded.Where(text => SameStore(ObjectStoreUrl.Parse(text, settings.BlobDirectory), store)).Append(store.Text).Distinct()];
    }

    public static bool SameStore(ObjectStoreUrl a, ObjectStoreUrl b) =>
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
