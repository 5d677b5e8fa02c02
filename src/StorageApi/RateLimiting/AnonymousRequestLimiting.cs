using StorageApi.Tenancy;

namespace StorageApi.RateLimiting;

/// <summary>
/// Counts a caller without a tenant key once the handler knows whose object it serves; nothing has been sent yet, so a
/// refusal is a clean 429. Callers with a tenant key were counted on the way in (<see cref="TenantRequestLimiting"/>).
/// </summary>
public sealed class AnonymousRequestLimiting(TenantRateLimiter limiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (result is IServedForTenant served && !http.User.HasClaim(c => c.Type == ApiKeyAuthentication.TenantClaim))
            await limiter.AdmitRequestAsync(http, served.TenantId, anonymous: true);
        return result;
    }
}
