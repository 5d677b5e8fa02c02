namespace StorageApi.Backups;

/// <summary>What one backup run did: the snapshot it wrote, what it sent and skipped, what it could not copy, what retention removed.</summary>
public sealed record BackupResult(
    string SnapshotId, DateTime TakenAt, long Objects, int BlobsUploaded, int BlobsSkipped, long BlobBytesSent, long BytesSent,
    IReadOnlyList<string> MissingBlobs, TimeSpan Duration, int SnapshotsDeleted, int BlobsDeleted)
{
    public override string ToString() =>
        $"snapshot {SnapshotId}: {Objects} objects, {BlobsUploaded} blobs uploaded, {BlobsSkipped} already there, {BytesSent} bytes sent in {Duration.TotalSeconds:0.0}s" +
        (MissingBlobs.Count == 0 ? "" : $"; {MissingBlobs.Count} blobs were deleted before they could be copied: {string.Join(", ", MissingBlobs.Take(5))}") +
        (SnapshotsDeleted + BlobsDeleted == 0 ? "" : $"; retention removed {SnapshotsDeleted} snapshots and {BlobsDeleted} blobs");
}

/// <summary>Another instance (or run) holds the backup lease: not a failure of this one.</summary>
public sealed class BackupBusyException(string holder) : BackupException($"another backup is running ({holder})");
