using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Objects;

/// <summary>
/// Where "store the same bytes again" and "delete the last copy" meet, across processes and hosts: the tenant's
/// <see cref="Blob"/> row. Both begin their transaction by locking it (an UPDATE that changes nothing: a row lock on
/// PostgreSQL, the write lock on SQLite), so one waits for the other: an upload either finds the row and shares the
/// bytes, or finds it gone and records its own copy; a delete sees every object committed before it.
/// </summary>
public static class BlobReferences
{
    /// <summary>Locks the row of (tenant, sha256) until the transaction ends; false when there is none.</summary>
    public static async Task<bool> LockAsync(StorageDb db, string tenantId, string sha256, CancellationToken cancellationToken) =>
        await db.Blobs.Where(b => b.TenantId == tenantId && b.Sha256 == sha256)
            .ExecuteUpdateAsync(set => set.SetProperty(b => b.Size, b => b.Size), cancellationToken) == 1;

    public static Task<bool> ExistsAsync(StorageDb db, string tenantId, string sha256, CancellationToken cancellationToken) =>
        db.Blobs.AnyAsync(b => b.TenantId == tenantId && b.Sha256 == sha256, cancellationToken);
}
