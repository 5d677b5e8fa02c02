namespace StorageApi.Backups;

/// <summary>
/// Where things are in a backup target: <c>backup.json</c> (format and key check, the only plaintext),
/// <c>blobs/&lt;aa&gt;/&lt;name&gt;</c> (a tenant's bytes under their <see cref="BackupKeys.BlobName"/>),
/// <c>snapshots/&lt;id&gt;.db</c> (the database) and <c>snapshots/&lt;id&gt;.manifest</c> (written last: a snapshot exists once it is there).
/// </summary>
public static class BackupLayout
{
    public const string Root = "backup.json";
    public const string BlobsPrefix = "blobs/";
    public const string SnapshotsPrefix = "snapshots/";
    public const string ManifestSuffix = ".manifest";
    public const string DatabaseSuffix = ".db";

    public static string Blob(string name) => $"{BlobsPrefix}{name[..2]}/{name}";
    public static string BlobNameOf(string key) => key[(key.LastIndexOf('/') + 1)..];
    public static string Manifest(string snapshotId) => SnapshotsPrefix + snapshotId + ManifestSuffix;
    public static string Database(string snapshotId) => SnapshotsPrefix + snapshotId + DatabaseSuffix;

    /// <summary>The snapshot id a manifest key names, or null for any other key.</summary>
    public static string? SnapshotIdOf(string key) =>
        key.StartsWith(SnapshotsPrefix, StringComparison.Ordinal) && key.EndsWith(ManifestSuffix, StringComparison.Ordinal)
            ? key[SnapshotsPrefix.Length..^ManifestSuffix.Length]
            : null;
}
