namespace StorageApi.Observability;

/// <summary>
/// The tenant label of requests that are no tenant's, in metrics, logs and Sentry tags. A tenant may not take one of
/// these ids (see <see cref="Tenancy.TenantIds.IsReserved"/>), or its numbers would be mixed with the admin's.
/// </summary>
public static class TenantLabels
{
    public const string Admin = "admin";
    /// <summary>Not a valid tenant id, so it can never collide.</summary>
    public const string Anonymous = "-";
}
