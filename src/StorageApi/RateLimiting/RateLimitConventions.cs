namespace StorageApi.RateLimiting;

/// <summary>Marks an endpoint that answers whatever a tenant has used up.</summary>
public sealed class RateLimitExemption
{
    public static readonly RateLimitExemption Instance = new();
}

/// <summary>Something an endpoint serves on behalf of one tenant, such as an object's bytes.</summary>
public interface IServedForTenant
{
    string TenantId { get; }
}

/// <summary>How an endpoint departs from the rule that each request with a tenant key takes one token of that tenant's bucket.</summary>
public static class RateLimitConventions
{
    /// <summary>Probes, scrapes and the API description must answer whatever a tenant has used up.</summary>
    public static TBuilder ExemptFromRateLimits<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RateLimitExemption.Instance);

    /// <summary>
    /// Callers without a tenant key (public content, signed links) are counted against the anonymous bucket of the tenant
    /// whose <see cref="IServedForTenant"/> the handler returns, before it is served.
    /// </summary>
    public static TBuilder LimitAnonymousCallersPerTenant<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, AnonymousRequestLimiting>();

    /// <summary>The handler runs holding one of the tenant's upload slots, and the body it reads is charged to the tenant's upload bytes.</summary>
    public static TBuilder RequireUploadAdmission<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, UploadAdmissionFilter>();
}
