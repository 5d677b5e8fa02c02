using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Objects;

/// <summary>
/// What serving an object's bytes needs, and nothing more (no title, tags or metadata): the object's row and where its
/// bytes are (its blob row's store and key). Small, so <see cref="ObjectContentCache"/> can keep many.
/// </summary>
public sealed record ObjectContent(string Id, string TenantId, string Filename, string ContentType, long Size, string Sha256,
    bool IsPublic, DateTime CreatedAt, DateTime? ExpiresAt, string Store, string Key)
{
    private bool LiveAt(DateTime now) => ExpiresAt is null || ExpiresAt > now;

    /// <summary>
    /// The tenant's live object and where its bytes are: from <paramref name="cache"/>, else one read (the object's
    /// primary key, then the blob row's). Null when there is no such object; not found also for other tenants' ids.
    /// </summary>
    public static async ValueTask<ObjectContent?> TryGetAsync(StorageDb db, ObjectContentCache cache, string tenantId, string id, DateTime now, CancellationToken cancellationToken)
    {
        if (cache.TryGet(id, out var kept) && kept.TenantId == tenantId) return kept.LiveAt(now) ? kept : null;
        var generation = cache.Generation;
        return Kept(cache, id, generation, Located(await Own(db, tenantId, id, now, cancellationToken)));
    }

    /// <summary>As <see cref="TryGetAsync"/>, for a live public object of any tenant (or only of <paramref name="onlyTenant"/>).</summary>
    public static async ValueTask<ObjectContent?> TryGetPublicAsync(StorageDb db, ObjectContentCache cache, string id, string? onlyTenant, DateTime now, CancellationToken cancellationToken)
    {
        if (cache.TryGet(id, out var kept) && kept.IsPublic && (onlyTenant is null || kept.TenantId == onlyTenant)) return kept.LiveAt(now) ? kept : null;
        var generation = cache.Generation;
        return Kept(cache, id, generation, Located(await Public(db, id, onlyTenant, now, cancellationToken)));
    }

    private static ObjectContent? Kept(ObjectContentCache cache, string id, long generation, ObjectContent? found)
    {
        if (found is not null) cache.Remember(id, found, generation);
        return found;
    }

    /// <summary>A row read with a left join: a missing blob row (null store) is a broken invariant, not a 404.</summary>
    private sealed record Row(string Id, string TenantId, string Filename, string ContentType, long Size, string Sha256,
        bool IsPublic, DateTime CreatedAt, DateTime? ExpiresAt, string? Store, string? Key);

    private static ObjectContent? Located(Row? row) => row switch
    {
        null => null,
        { Store: null } or { Key: null } => throw new InvalidOperationException($"object {row.Id} of tenant {row.TenantId} has no blob row for {row.Sha256}"),
        _ => new ObjectContent(row.Id, row.TenantId, row.Filename, row.ContentType, row.Size, row.Sha256, row.IsPublic, row.CreatedAt, row.ExpiresAt, row.Store, row.Key),
    };

    private static readonly Func<StorageDb, string, string, DateTime, CancellationToken, Task<Row?>> Own =
        EF.CompileAsyncQuery((StorageDb db, string tenantId, string id, DateTime now, CancellationToken _) => (
            from o in db.Objects
            where o.Id == id && o.TenantId == tenantId && (o.ExpiresAt == null || o.ExpiresAt > now)
            join b in db.Blobs on new { o.TenantId, o.Sha256 } equals new { b.TenantId, b.Sha256 } into blobs
            from b in blobs.DefaultIfEmpty()
            select new Row(o.Id, o.TenantId, o.Filename, o.ContentType, o.Size, o.Sha256, o.IsPublic, o.CreatedAt, o.ExpiresAt, b.Store, b.Key)).SingleOrDefault());

    private static readonly Func<StorageDb, string, string?, DateTime, CancellationToken, Task<Row?>> Public =
        EF.CompileAsyncQuery((StorageDb db, string id, string? onlyTenant, DateTime now, CancellationToken _) => (
            from o in db.Objects
            where o.Id == id && o.IsPublic && (o.ExpiresAt == null || o.ExpiresAt > now) && (onlyTenant == null || o.TenantId == onlyTenant)
            join b in db.Blobs on new { o.TenantId, o.Sha256 } equals new { b.TenantId, b.Sha256 } into blobs
            from b in blobs.DefaultIfEmpty()
            select new Row(o.Id, o.TenantId, o.Filename, o.ContentType, o.Size, o.Sha256, o.IsPublic, o.CreatedAt, o.ExpiresAt, b.Store, b.Key)).SingleOrDefault());
}
