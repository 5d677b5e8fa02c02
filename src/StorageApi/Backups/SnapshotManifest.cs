using System.Security.Cryptography;
using System.Text;

namespace StorageApi.Backups;

/// <summary>
/// What one snapshot is: when, by which release, from which database, what it counts, and every blob it needs (by
/// tenant and sha256; its name in the backup follows from the key). <see cref="Digest"/> is the sha256 over the sorted
/// "tenant/sha256" lines, so two snapshots with the same bytes have the same digest. <see cref="Missing"/> lists
/// blobs deleted between the database snapshot and their copy: the snapshot's database still names them.
/// </summary>
public sealed record SnapshotManifest(
    string Id, DateTime TakenAt, string Version, string Provider, long Objects, long Blobs, long BlobBytes, string Digest,
    IReadOnlyList<SnapshotBlob> Needs, IReadOnlyList<string> Missing)
{
    public static string DigestOf(IEnumerable<SnapshotBlob> blobs)
    {
        var lines = blobs.Select(b => $"{b.TenantId}/{b.Sha256}").Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }
}

public sealed record SnapshotBlob(string TenantId, string Sha256, long Size);
