using System.Security.Claims;
using StorageApi.Tenancy;

namespace StorageApi.RateLimiting;

/// <summary>
/// Every request made with a tenant key takes one token from that tenant's bucket before it is served. The admin key
/// is the operator's and is never limited (an operator must be able to lift a limit while tenants are throttled);
/// requests without a key are limited where their tenant becomes known (public content and signed links).
/// </summary>
public sealed class TenantRequestLimiting(RequestDelegate next, TenantRateLimiter limiter)
{
    /// <summary>Probes, scrapes and the API description must answer whatever a tenant has used up.</summary>
    private static readonly PathString[] Exempt = ["/health", "/metrics", "/openapi"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.FindFirstValue(ApiKeyAuthentication.TenantClaim) is { } tenantId && !IsExempt(context.Request.Path))
            await limiter.AdmitRequestAsync(context, tenantId);
        await next(context);
    }

    public static bool IsExempt(PathString path) => Exempt.Any(path.StartsWithSegments);
}
