using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.ObjectStores;

namespace StorageApi.Backups;

/// <summary>
/// <c>storage-api restore-from</c>: puts a snapshot back into an empty blob store and an empty database. Every blob is
/// decrypted and its sha256 checked on the way into the configured blob store (BLOB_STORE_URL) under a new key; the
/// database is restored, then its Blobs rows are pointed at those keys. A failure removes the blobs it wrote.
/// </summary>
public sealed class BackupRestorer(StorageSettings settings, ObjectStoreFactory stores, DatabaseMaintenance maintenance, IServiceScopeFactory scopes, TimeProvider clock)
{
    private const int CopiesInFlight = 4;

    public async Task<RestoreResult> RestoreAsync(ObjectStoreUrl from, DateTime? at, CancellationToken cancellationToken)
    {
        var key = settings.Backup?.Key ?? throw new BackupException("restore-from needs BACKUP_KEY (and BACKUP_URL) set to the key the backups were made with");
        var target = new BackupTarget(stores.Open(from), new BackupKeys(key));
        await target.VerifyKeyAsync(createIfMissing: false, clock.GetUtcNow().UtcDateTime, cancellationToken);
        var manifest = await ChooseAsync(target, at, cancellationToken);
        var provider = settings.Database.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgresql";
        if (manifest.Provider != provider)
            throw new BackupException($"snapshot {manifest.Id} is of a {manifest.Provider} database; DATABASE_URL names a {provider} one; nothing was restored");
        await RefuseUnlessEmptyAsync(cancellationToken);

        var written = new List<(SnapshotBlob Blob, string Key)>();
        var blobStore = stores.Blobs;
        try
        {
            // A few blobs at a time, as backups copy them: each is a request of its own to an S3 store.
            await Parallel.ForEachAsync(manifest.Needs, new ParallelOptions { MaxDegreeOfParallelism = CopiesInFlight, CancellationToken = cancellationToken },
                async (blob, token) =>
                {
                    var newKey = Objects.BlobStore.NewKey(blob.TenantId);
                    var stored = await target.OpenReadAsync(BackupLayout.Blob(target.Keys.BlobName(blob.TenantId, blob.Sha256)), token);
                    await using var verified = new Sha256VerifyingStream(stored, blob.Sha256, (actual, length) =>
                        new BackupException($"blob {blob.TenantId}/{blob.Sha256} of snapshot {manifest.Id} should have sha256 {blob.Sha256} but its {length} bytes have {actual}"));
                    await blobStore.PutAsync(newKey, verified, token);
                    lock (written) written.Add((blob, newKey));
                });
            await RestoreDatabaseAsync(target, manifest, cancellationToken);
            await PointRowsAtAsync(blobStore.Url.Text, written, cancellationToken);
        }
        catch (ObjectKeyNotFoundException e)
        {
            await RemoveAsync(blobStore, written);
            throw new BackupException($"snapshot {manifest.Id} needs a file the backup does not have: {e.Message}; nothing was restored", e);
        }
        catch
        {
            await RemoveAsync(blobStore, written);
            throw;
        }
        // Saved vector graphs are a cache of the database this replaced: a set id and revision of the restored one could
        // name a graph of other vectors.
        if (Directory.Exists(settings.VectorIndexDirectory)) Directory.Delete(settings.VectorIndexDirectory, recursive: true);
        return new RestoreResult(manifest, written.Count, written.Sum(w => w.Blob.Size));
    }

    /// <summary>The newest snapshot taken at or before <paramref name="at"/> (the newest of all without it).</summary>
    private static async Task<SnapshotManifest> ChooseAsync(BackupTarget target, DateTime? at, CancellationToken cancellationToken)
    {
        var ids = await target.ListSnapshotIdsAsync(cancellationToken);
        if (ids.Count == 0) throw new BackupException($"{target.Store.Url} has no snapshots");
        foreach (var id in ids.Reverse())
        {
            var manifest = await target.ReadManifestAsync(id, cancellationToken);
            if (at is null || manifest.TakenAt <= at) return manifest;
        }
        throw new BackupException($"{target.Store.Url} has no snapshot taken at or before {at:O}");
    }

    private async Task RefuseUnlessEmptyAsync(CancellationToken cancellationToken)
    {
        await foreach (var stored in stores.Blobs.ListAsync("", cancellationToken))
            if (stored.Key != StoreOwnership.MarkerKey) // the owner marker of an instance that used the store: not data
                throw new BackupException($"the blob store {stores.Blobs.Url} is not empty (it has {stored.Key}); restore-from only fills an empty data directory and database; nothing was changed");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        if (!(await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any()) return; // no schema at all
        if (await db.Tenants.AnyAsync(cancellationToken) || await db.Objects.AnyAsync(cancellationToken) || await db.Blobs.AnyAsync(cancellationToken))
            throw new BackupException($"the database {settings.Database.Display} is not empty (it has tenants or objects); restore-from only fills an empty data directory and database; nothing was changed");
    }

    /// <summary>Decrypts the database into a temporary file first: only a file that authenticated completely reaches the database.</summary>
    private async Task RestoreDatabaseAsync(BackupTarget target, SnapshotManifest manifest, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.TempDirectory);
        var file = Path.Combine(settings.TempDirectory, $"restore-{Guid.NewGuid():N}.db");
        try
        {
            await using (var decrypted = await target.OpenReadAsync(BackupLayout.Database(manifest.Id), cancellationToken))
            await using (var output = File.Create(file))
                await decrypted.CopyToAsync(output, cancellationToken);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await maintenance.RestoreAsync(file, cancellationToken);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task PointRowsAtAsync(string store, List<(SnapshotBlob Blob, string Key)> written, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        // One transaction: a commit per row (one fsync each on SQLite) took most of a 10k-blob restore (bench/backup).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (blob, key) in written)
        {
            await db.Blobs.Where(b => b.TenantId == blob.TenantId && b.Sha256 == blob.Sha256)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.Store, store).SetProperty(b => b.Key, key), cancellationToken);
        }
        // The old instance's lease, backup record and write hold (a snapshot taken during a move) do not describe this one.
        await db.InstanceFacts.Where(f => f.Name == BackupLease.FactName || f.Name == BackupStatus.FactName || f.Name == WriteHolds.WriteHold.FactName)
            .ExecuteDeleteAsync(cancellationToken);
        await ChangeCounter.BumpAsync(db, ChangeCounter.Objects, cancellationToken); // blob rows moved in bulk, past ObjectChangeStamp
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task RemoveAsync(IObjectStore store, List<(SnapshotBlob Blob, string Key)> written)
    {
        foreach (var (_, key) in written) await store.DeleteUnreferencedAsync(key);
    }
}

public sealed record RestoreResult(SnapshotManifest Snapshot, int Blobs, long Bytes);
