using StorageApi.Tenancy;

namespace StorageApi.RateLimiting;

/// <summary>Lets an upload in (or refuses it with a 429) before its body is read, and frees its slot when the handler is done.</summary>
public sealed class UploadAdmissionFilter(TenantRateLimiter limiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        await using var admission = await limiter.AdmitUploadAsync(http, http.User.TenantId());
        return await next(context);
    }
}
