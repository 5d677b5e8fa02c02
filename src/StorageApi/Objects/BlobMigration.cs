using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Errors;
using StorageApi.ObjectStores;

namespace StorageApi.Objects;

/// <summary>
/// Moves tenants' bytes to another store (<c>storage-api blobs migrate</c>) while the service keeps serving them. Per
/// blob: copy under a new key while verifying the sha256, then switch the row in a short transaction that locks it and
/// checks it still names the old copy, and only after a grace delete the old copy (a download that read the old row a
/// moment before may still be reading it). Rows already in the target are skipped, so a run after an interruption
/// continues where the last one stopped; an interrupted copy leaves at most one key without a row in the target, which
/// the orphan sweeper removes once the target is BLOB_STORE_URL.
/// </summary>
public sealed class BlobMigration(IServiceScopeFactory scopes, ObjectStoreFactory stores, StorageSettings settings, ILogger<BlobMigration> logger)
{
    private const int BatchSize = 200;

    /// <summary>How long an old copy stays after its row was switched: longer than a download takes to open it.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Blobs copied at once: a store's round trips, not its bandwidth, are what one copy at a time waits for.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>A progress line at most this often (and after every <see cref="ProgressEvery"/> blobs).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);
    public int ProgressEvery { get; init; } = 500;

    /// <summary>Keys without a row in the stores moved out of are removed once this old (<see cref="OrphanSweeper.MinimumAge"/>: younger ones may be uploads in flight).</summary>
    public TimeSpan SweepAge { get; init; } = OrphanSweeper.MinimumAge;

    /// <summary>Called after each blob is switched, with the number switched so far (tests interrupt a run with it).</summary>
    public Action<int>? AfterEachBlob { get; init; }

    /// <summary>
    /// Copies every blob of <paramref name="tenantId"/> (all tenants of the instance when null) that is not in
    /// <paramref name="target"/> yet; <paramref name="progress"/> receives progress lines. Throws
    /// <see cref="BlobCorruptException"/> for bytes that do not match their row (nothing switched for them),
    /// <see cref="InvalidValueException"/> for a tenant this instance does not serve.
    /// </summary>
    public async Task<BlobMigrationSummary> RunAsync(ObjectStoreUrl target, string? tenantId, Action<string> progress, CancellationToken cancellationToken)
    {
        var tenants = await TenantsAsync(tenantId, cancellationToken);
        var targetStore = stores.Open(target);
        await using (var scope = scopes.CreateAsyncScope())
            await StoreOwnership.ClaimAsync(targetStore, scope.ServiceProvider.GetRequiredService<StorageDb>(), cancellationToken);

        var counts = new Counts();
        var clock = counts.Clock;
        var oldCopies = new Queue<OldCopy>();
        var sources = new HashSet<string>(StringComparer.Ordinal) { settings.BlobStoreUrl.Text };
        var lastProgress = clock.Elapsed;
        try
        {
            var targetNames = await NamesOfAsync(target, cancellationToken);
            counts.Skipped = await CountAsync(tenants, targetNames, inTarget: true, cancellationToken);
            (string Tenant, string Sha256)? after = null;
            while (true)
            {
                var batch = await NextBatchAsync(tenants, targetNames, after, cancellationToken);
                if (batch.Count == 0) break;
                var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
                await Parallel.ForEachAsync(batch, options, async (row, token) =>
                {
                    lock (sources) sources.Add(row.Store);
                    await MoveAsync(row, targetStore, oldCopies, counts, token);
                    await DeleteOldCopiesAsync(oldCopies, clock.Elapsed - Grace);
                    lock (counts)
                    {
                        if ((counts.Copied > 0 && counts.Copied % ProgressEvery == 0) || clock.Elapsed - lastProgress >= ProgressInterval)
                        {
                            progress($"{counts.Copied} blobs ({Megabytes(counts.Bytes)}) copied to {target}, {counts.Skipped} were there already");
                            lastProgress = clock.Elapsed;
                        }
                    }
                });
                after = (batch[^1].TenantId, batch[^1].Sha256);
            }
            // Rows that arrived meanwhile in another store (uploads go to BLOB_STORE_URL): the next run moves them.
            var remaining = await CountAsync(tenants, await NamesOfAsync(target, cancellationToken), inTarget: false, cancellationToken);
            var duration = clock.Elapsed;
            await DeleteOldCopiesAfterGraceAsync(oldCopies, clock);
            // Only now: the sweep would take the last old copies (day-old keys without a row) before their grace ends.
            var swept = await SweepSourcesAsync(tenants, sources, target, progress, cancellationToken);
            return new BlobMigrationSummary(target, counts.Copied, counts.Bytes, counts.Skipped, counts.Gone, remaining, swept, duration);
        }
        finally
        {
            await DeleteOldCopiesAfterGraceAsync(oldCopies, clock); // interrupted or not, switched rows' old copies go
        }
    }

    private async Task DeleteOldCopiesAfterGraceAsync(Queue<OldCopy> oldCopies, Stopwatch clock)
    {
        TimeSpan wait;
        lock (oldCopies) wait = oldCopies.Count > 0 ? oldCopies.Last().SwitchedAt + Grace - clock.Elapsed : TimeSpan.Zero;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, CancellationToken.None);
        await DeleteOldCopiesAsync(oldCopies, TimeSpan.MaxValue);
    }

    private async Task MoveAsync(Blob row, IObjectStore target, Queue<OldCopy> oldCopies, Counts counts, CancellationToken cancellationToken)
    {
        var newKey = BlobStore.NewKey(row.TenantId);
        var description = $"blob sha256 {row.Sha256} of tenant {row.TenantId} in {row.Store} (key {row.Key})";
        Stream source;
        try
        {
            source = await stores.Open(row.Store).OpenReadAsync(row.Key, 0, cancellationToken);
        }
        catch (ObjectKeyNotFoundException)
        {
            if (!await RowNamesAsync(row, row.Store, row.Key, cancellationToken)) // switched or deleted meanwhile: no loss
            {
                lock (counts) counts.Gone++;
                return;
            }
            throw new BlobCorruptException($"{description}: the stored bytes are missing");
        }
        await using (var verifying = new Sha256VerifyingStream(source, row.Sha256, (actual, length) =>
                   new BlobCorruptException($"{description} is corrupt: the stored bytes have sha256 {actual} ({length} bytes); nothing was switched for it")))
        {
            await target.PutAsync(newKey, verifying, cancellationToken);
            if (!verifying.Verified) // a store that stopped reading before the end: never switch to what was not checked
            {
                await target.DeleteAsync(newKey, CancellationToken.None);
                throw new BlobCorruptException($"{description}: the copy ended before the bytes could be verified");
            }
        }

        bool switched;
        try
        {
            switched = await SwitchAsync(row, target.Url, newKey, cancellationToken);
        }
        catch
        {
            // A failed commit may still have committed: remove the copy only once the row is known not to name it.
            // Otherwise it stays, a key without a row at most, which the orphan sweeper removes once the target is BLOB_STORE_URL.
            try
            {
                if (!await RowNamesAsync(row, target.Url.Text, newKey, CancellationToken.None)) await target.DeleteUnreferencedAsync(newKey, logger);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not tell whether {Key} in {Store} is referenced ({Reason}); left for the orphan sweeper", newKey, target.Url, e.Message);
            }
            throw;
        }
        if (!switched)
        {
            await target.DeleteUnreferencedAsync(newKey, logger);
            lock (counts) counts.Gone++;
            return;
        }
        int copied;
        lock (counts)
        {
            copied = ++counts.Copied;
            counts.Bytes += row.Size;
        }
        lock (oldCopies) oldCopies.Enqueue(new OldCopy(row.Store, row.Key, counts.Clock.Elapsed));
        AfterEachBlob?.Invoke(copied);
    }

    /// <summary>Whether the tenant's row for these bytes names <paramref name="store"/> and <paramref name="key"/> now.</summary>
    private async Task<bool> RowNamesAsync(Blob row, string store, string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StorageDb>().Blobs
            .AnyAsync(b => b.TenantId == row.TenantId && b.Sha256 == row.Sha256 && b.Store == store && b.Key == key, cancellationToken);
    }

    /// <summary>Points the row at the new copy, if it still names the one that was copied; false when it changed or went.</summary>
    private async Task<bool> SwitchAsync(Blob copied, ObjectStoreUrl target, string newKey, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        await using var unit = await UnitOfWork.BeginAsync(db, cancellationToken);
        if (!await BlobReferences.LockAsync(db, copied.TenantId, copied.Sha256, cancellationToken)) return false; // deleted meanwhile
        var row = await db.Blobs.SingleAsync(b => b.TenantId == copied.TenantId && b.Sha256 == copied.Sha256, cancellationToken);
        if (row.Store != copied.Store || row.Key != copied.Key) return false; // deleted and uploaded again, or moved by another run
        row.Store = target.Text;
        row.Key = newKey;
        // Never cancelled between here and the commit: a commit cut by Ctrl-C could not tell whether it happened.
        await db.SaveChangesAsync(CancellationToken.None);
        await unit.CommitAsync(CancellationToken.None);
        return true;
    }

    private async Task DeleteOldCopiesAsync(Queue<OldCopy> oldCopies, TimeSpan switchedBefore)
    {
        while (true)
        {
            OldCopy? copy;
            lock (oldCopies)
                if (!oldCopies.TryPeek(out copy) || copy.SwitchedAt > switchedBefore) return;
                else oldCopies.Dequeue();
            await stores.Open(copy.Store).DeleteUnreferencedAsync(copy.Key, logger);
        }
    }

    /// <summary>The tenants to move: the instance's one (TENANT_ID), the one asked for, or all (null).</summary>
    private async Task<string[]?> TenantsAsync(string? tenantId, CancellationToken cancellationToken)
    {
        if (settings.TenantId is { } only)
        {
            if (tenantId is not null && tenantId != only)
                throw new InvalidValueException($"this instance serves only tenant {only} (TENANT_ID), not {tenantId}");
            return [only];
        }
        if (tenantId is null) return null;
        await using var scope = scopes.CreateAsyncScope();
        if (!await scope.ServiceProvider.GetRequiredService<StorageDb>().Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
            throw new NotFoundException($"Tenant '{tenantId}'");
        return [tenantId];
    }

    private async Task<List<string>> NamesOfAsync(ObjectStoreUrl target, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await OrphanSweeper.NamesOfAsync(scope.ServiceProvider.GetRequiredService<StorageDb>(), target, settings, cancellationToken);
    }

    /// <summary>
    /// The orphan sweeper visits only BLOB_STORE_URL, which will no longer be the store moved out of: old copies that
    /// a crash kept from being deleted after their grace (and older keys without a row) are removed here, in every
    /// store this run read from and in the configured one, once <see cref="SweepAge"/> old.
    /// </summary>
    private async Task<int> SweepSourcesAsync(string[]? tenants, HashSet<string> sources, ObjectStoreUrl target, Action<string> progress, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var allTenants = tenants ?? [.. await db.Tenants.Select(t => t.Id).ToListAsync(cancellationToken)];
        var cutoff = DateTime.UtcNow - SweepAge;
        var swept = 0;
        foreach (var url in sources.Select(text => ObjectStoreUrl.Parse(text, settings.BlobDirectory)).DistinctBy(u => u.Folder ?? u.Text))
        {
            if (OrphanSweeper.SameStore(url, target)) continue;
            var store = stores.Open(url);
            try
            {
                await StoreOwnership.ClaimAsync(store, db, cancellationToken); // never sweep a store of another instance
                swept += await OrphanSweeper.SweepKeysAsync(db, store, allTenants, settings, cutoff, cancellationToken);
            }
            catch (ObjectStoreUnavailableException e)
            {
                progress($"warning: keys without a row left in {url} were not removed: {e.Message}");
            }
        }
        return swept;
    }

    private async Task<int> CountAsync(string[]? tenants, List<string> targetNames, bool inTarget, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rows = Of(scope.ServiceProvider.GetRequiredService<StorageDb>().Blobs, tenants);
        return await rows.CountAsync(b => targetNames.Contains(b.Store) == inTarget, cancellationToken);
    }

    /// <summary>The next rows not in the target, in (tenant, sha256) order after <paramref name="after"/>.</summary>
    private async Task<List<Blob>> NextBatchAsync(string[]? tenants, List<string> targetNames, (string Tenant, string Sha256)? after, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rows = Of(scope.ServiceProvider.GetRequiredService<StorageDb>().Blobs.AsNoTracking(), tenants).Where(b => !targetNames.Contains(b.Store));
        if (after is var (tenant, sha256))
            rows = rows.Where(b => string.Compare(b.TenantId, tenant) > 0 || (b.TenantId == tenant && string.Compare(b.Sha256, sha256) > 0));
        return await rows.OrderBy(b => b.TenantId).ThenBy(b => b.Sha256).Take(BatchSize).ToListAsync(cancellationToken);
    }

    private static IQueryable<Blob> Of(IQueryable<Blob> rows, string[]? tenants) => tenants is null ? rows : rows.Where(b => tenants.Contains(b.TenantId));

    public static string Megabytes(long bytes) => $"{bytes / 1048576.0:0.0} MB";

    private sealed record OldCopy(string Store, string Key, TimeSpan SwitchedAt);

    private sealed class Counts
    {
        public readonly Stopwatch Clock = Stopwatch.StartNew();
        public int Copied;
        public long Bytes;
        public int Skipped;
        public int Gone;
    }
}

/// <summary>What a run did: <see cref="Remaining"/> rows are still elsewhere (uploads that arrived during the run).</summary>
public sealed record BlobMigrationSummary(ObjectStoreUrl Target, int Copied, long Bytes, int Skipped, int Gone, int Remaining, int Swept, TimeSpan Duration)
{
    public double MegabytesPerSecond => Duration.TotalSeconds > 0 ? Bytes / 1048576.0 / Duration.TotalSeconds : 0;
}
