using StorageApi.Configuration;

namespace StorageApi.Backups;

/// <summary>
/// Applies <see cref="RetentionPolicy"/> to a target: removes the snapshots it does not keep (manifest first, so a
/// half-removed snapshot is simply gone), database files no manifest names (runs that failed), then every blob no kept
/// snapshot needs. A manifest that cannot be read stops it before anything is removed.
/// </summary>
public static class RetentionPruner
{
    public static async Task<(int Snapshots, int Blobs)> PruneAsync(BackupTarget target, BackupSettings settings, DateTime now, CancellationToken cancellationToken)
    {
        var manifests = new List<SnapshotManifest>();
        foreach (var id in await target.ListSnapshotIdsAsync(cancellationToken)) manifests.Add(await target.ReadManifestAsync(id, cancellationToken));
        var keep = RetentionPolicy.Keep(manifests.Select(m => (m.Id, m.TakenAt)), now, settings.KeepHourly, settings.KeepDaily);

        var deletedSnapshots = 0;
        foreach (var manifest in manifests.Where(m => !keep.Contains(m.Id)))
        {
            await target.Store.DeleteAsync(BackupLayout.Manifest(manifest.Id), cancellationToken);
            await target.Store.DeleteAsync(BackupLayout.Database(manifest.Id), cancellationToken);
            deletedSnapshots++;
        }
        var orphanDatabases = new List<string>();
        await foreach (var stored in target.Store.ListAsync(BackupLayout.SnapshotsPrefix, cancellationToken))
            if (stored.Key.EndsWith(BackupLayout.DatabaseSuffix, StringComparison.Ordinal)
                && !keep.Contains(stored.Key[BackupLayout.SnapshotsPrefix.Length..^BackupLayout.DatabaseSuffix.Length]))
                orphanDatabases.Add(stored.Key);
        foreach (var key in orphanDatabases) await target.Store.DeleteAsync(key, cancellationToken);

        var needed = manifests.Where(m => keep.Contains(m.Id)).SelectMany(m => m.Needs)
            .Select(b => target.Keys.BlobName(b.TenantId, b.Sha256)).ToHashSet(StringComparer.Ordinal);
        var unneeded = new List<string>();
        await foreach (var stored in target.Store.ListAsync(BackupLayout.BlobsPrefix, cancellationToken))
            if (!needed.Contains(BackupLayout.BlobNameOf(stored.Key))) unneeded.Add(stored.Key);
        foreach (var key in unneeded) await target.Store.DeleteAsync(key, cancellationToken);
        return (deletedSnapshots, unneeded.Count);
    }
}
