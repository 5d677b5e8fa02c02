using System.Security.Claims;
using StorageApi.Tenancy;

namespace StorageApi.RateLimiting;

/// <summary>
/// Every request made with a tenant key takes one token from that tenant's bucket before it is served, unless its
/// endpoint is exempt (<see cref="RateLimitConventions.ExemptFromRateLimits"/>); a request that matches no endpoint
/// counts too. The admin key is the operator's and is never limited (an operator must be able to lift a limit while
/// tenants are throttled); requests without a key are limited where their tenant becomes known
/// (<see cref="RateLimitConventions.LimitAnonymousCallersPerTenant"/>).
/// </summary>
public sealed class TenantRequestLimiting(RequestDelegate next, TenantRateLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.FindFirstValue(ApiKeyAuthentication.TenantClaim) is { } tenantId
            && context.GetEndpoint()?.Metadata.GetMetadata<RateLimitExemption>() is null)
            await limiter.AdmitRequestAsync(context, tenantId);
        await next(context);
    }
}
