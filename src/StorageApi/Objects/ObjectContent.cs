using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Objects;

/// <summary>An object to serve and the row that says where its bytes are.</summary>
public sealed record ObjectContent(StoredObject Object, Blob Blob)
{
    /// <summary>
    /// The tenant's live object with its blob row, in one read (the object's primary key, then the blob row's): all the
    /// database work of a download. Null when there is no such object; not found also for other tenants' ids.
    /// </summary>
    public static async Task<ObjectContent?> TryGetAsync(StorageDb db, string tenantId, string id, DateTime now, CancellationToken cancellationToken) =>
        Located(await Own(db, tenantId, id, now, cancellationToken));

    /// <summary>As <see cref="TryGetAsync"/>, for a live public object of any tenant (or only of <paramref name="onlyTenant"/>).</summary>
    public static async Task<ObjectContent?> TryGetPublicAsync(StorageDb db, string id, string? onlyTenant, DateTime now, CancellationToken cancellationToken) =>
        Located(await Public(db, id, onlyTenant, now, cancellationToken));

    private sealed record Row(StoredObject Object, Blob? Blob);

    /// <summary>A missing blob row is a broken invariant, not a 404.</summary>
    private static ObjectContent? Located(Row? row) => row switch
    {
        null => null,
        { Blob: null } => throw new InvalidOperationException($"object {row.Object.Id} of tenant {row.Object.TenantId} has no blob row for {row.Object.Sha256}"),
        _ => new ObjectContent(row.Object, row.Blob),
    };

    private static readonly Func<StorageDb, string, string, DateTime, CancellationToken, Task<Row?>> Own =
        EF.CompileAsyncQuery((StorageDb db, string tenantId, string id, DateTime now, CancellationToken _) => (
            from o in db.Objects.AsNoTracking()
            where o.Id == id && o.TenantId == tenantId && (o.ExpiresAt == null || o.ExpiresAt > now)
            join b in db.Blobs.AsNoTracking() on new { o.TenantId, o.Sha256 } equals new { b.TenantId, b.Sha256 } into blobs
            from b in blobs.DefaultIfEmpty()
            select new Row(o, b)).SingleOrDefault());

    private static readonly Func<StorageDb, string, string?, DateTime, CancellationToken, Task<Row?>> Public =
        EF.CompileAsyncQuery((StorageDb db, string id, string? onlyTenant, DateTime now, CancellationToken _) => (
            from o in db.Objects.AsNoTracking()
            where o.Id == id && o.IsPublic && (o.ExpiresAt == null || o.ExpiresAt > now) && (onlyTenant == null || o.TenantId == onlyTenant)
            join b in db.Blobs.AsNoTracking() on new { o.TenantId, o.Sha256 } equals new { b.TenantId, b.Sha256 } into blobs
            from b in blobs.DefaultIfEmpty()
            select new Row(o, b)).SingleOrDefault());
}
