using StorageApi.Data;

namespace StorageApi.Objects;

/// <summary>The object filters that listing and search share, so both read "live", "collection" and "content type" alike.</summary>
public static class ObjectFilters
{
    /// <summary>The tenant's objects whose time is not up.</summary>
    public static IQueryable<StoredObject> LiveOf(this IQueryable<StoredObject> objects, string tenantId, DateTime now) =>
        objects.Where(o => o.TenantId == tenantId && (o.ExpiresAt == null || o.ExpiresAt > now));

    public static IQueryable<StoredObject> InCollection(this IQueryable<StoredObject> objects, string? collection) =>
        collection is null ? objects : objects.Where(o => o.Collection == collection);

    /// <summary>An exact media type, or a whole family with <c>type/*</c>.</summary>
    public static IQueryable<StoredObject> OfContentType(this IQueryable<StoredObject> objects, string? type) =>
        type is null ? objects
        : type.EndsWith("/*", StringComparison.Ordinal) ? objects.Where(o => o.ContentType.StartsWith(type.Substring(0, type.Length - 1)))
        : objects.Where(o => o.ContentType == type);
}
