using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using StorageApi.Data;
using StorageApi.ObjectStores;
using StorageApi.Tenancy;

namespace StorageApi.Objects;

/// <summary>
/// Tenants' bytes: written to the configured object store (BLOB_STORE_URL) under a key unique to the write, found
/// again through the tenant's <see cref="Blob"/> row, which records the store and key. Which write of the same bytes
/// survives, and when the last copy goes, is decided in the database (<see cref="BlobReferences"/>).
/// </summary>
public sealed partial class BlobStore(ObjectStoreFactory stores, BlobStoreGuard guard, StorageDb db)
{
    /// <summary>A new write for the tenant, in the configured store (once it is known to be this instance's); see <see cref="StagedBlob"/>.</summary>
    public async Task<StagedBlob> StageAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!TenantIds.IsValid(tenantId)) throw new ArgumentException($"invalid tenant id '{tenantId}'", nameof(tenantId));
        return new StagedBlob(await guard.ClaimedStoreAsync(db, cancellationToken), NewKey(tenantId));
    }

    /// <summary>Unique per write, so that removing old bytes never removes a newer copy of the same bytes.</summary>
    public static string NewKey(string tenantId)
    {
        var id = Guid.NewGuid().ToString("N");
        return $"{tenantId}/{id[..2]}/{id}";
    }

    /// <summary>
    /// Whether <paramref name="key"/> has the shape of a key this service writes for the tenant (or wrote before blob
    /// rows, named by sha256): all the orphan sweeper may ever delete, so another instance's store nested under a
    /// tenant's prefix of this one (s3://bucket and s3://bucket/acme) is never taken for orphans.
    /// </summary>
    public static bool IsBlobKey(string tenantId, string key) =>
        key.Length > tenantId.Length + 1 && key.StartsWith(tenantId + "/", StringComparison.Ordinal) && BlobKeyTail().IsMatch(key[(tenantId.Length + 1)..]);

    [GeneratedRegex("^[0-9a-f]{2}/([0-9a-f]{32}|[0-9a-f]{64})$")]
    private static partial Regex BlobKeyTail();

    private Task<Blob?> FindAsync(StoredObject stored, CancellationToken cancellationToken) =>
        db.Blobs.AsNoTracking().SingleOrDefaultAsync(b => b.TenantId == stored.TenantId && b.Sha256 == stored.Sha256, cancellationToken);

    public Task<Stream> OpenReadAsync(Blob blob, long offset, CancellationToken cancellationToken) =>
        stores.Open(blob.Store).OpenReadAsync(blob.Key, offset, cancellationToken);

    /// <summary>
    /// At most <paramref name="maxBytes"/> from the start of an object's bytes (what search reads of text files);
    /// null when the object was deleted meanwhile.
    /// </summary>
    public async Task<byte[]?> ReadStartAsync(StoredObject stored, int maxBytes, CancellationToken cancellationToken)
    {
        if (await FindAsync(stored, cancellationToken) is not { } blob) return null;
        try
        {
            await using var stream = await OpenReadAsync(blob, 0, cancellationToken);
            var buffer = new byte[maxBytes];
            var length = 0;
            int read;
            while (length < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0) length += read;
            return buffer[..length];
        }
        catch (ObjectKeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Removes bytes whose row is gone (see <see cref="ObjectStoreExtensions.DeleteUnreferencedAsync"/>).</summary>
    public Task DeleteUnreferencedAsync(Blob gone, ILogger logger) => stores.Open(gone.Store).DeleteUnreferencedAsync(gone.Key, logger);
}
