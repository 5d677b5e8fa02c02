using System.Diagnostics;
using System.Security.Claims;
using StorageApi.Tenancy;

namespace StorageApi.Observability;

/// <summary>Marks endpoints that serve object content, so their response sizes count as downloaded bytes.</summary>
public sealed class ServesContent;

/// <summary>
/// One log line and one set of measurements per request: route template (never the raw path, which may hold a signed
/// link), tenant, status and duration, under the request id. Headers, keys and bodies are never looked at.
/// </summary>
public sealed partial class RequestObservation(RequestDelegate next, StorageMetrics metrics, ILogger<RequestObservation> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        // Taken now and kept: the exception handler clears the endpoint before a 500 is written.
        var route = RouteOf(context);
        context.Items[typeof(RequestObservation)] = route;
        var servesContent = context.GetEndpoint()?.Metadata.GetMetadata<ServesContent>() is not null;
        try
        {
            await next(context);
        }
        finally
        {
            var seconds = clock.Elapsed.TotalSeconds;
            var tenant = TenantOf(context.User);
            var status = context.Response.StatusCode;
            var tags = new TagList { { "route", route }, { "tenant", tenant }, { "status", status } };
            metrics.Requests.Add(1, tags);
            metrics.Duration.Record(seconds, new TagList { { "route", route }, { "tenant", tenant } });
            if (status >= 500) metrics.Errors.Add(1, new TagList { { "route", route }, { "tenant", tenant } });
            if (status is 200 or 206 && context.Response.ContentLength is long bytes && servesContent)
                metrics.DownloadedBytes.Add(bytes, new TagList { { "tenant", tenant } });
            LogRequest(logger, context.Request.Method, route, status, Math.Round(seconds * 1000, 1), tenant, RequestIdOf(context));
        }
    }

    /// <summary>The one id of a request: in its log lines, as a problem body's <c>traceId</c>, and as Sentry's request_id tag.</summary>
    public static string RequestIdOf(HttpContext context) => context.TraceIdentifier;

    /// <summary>The matched route template, e.g. <c>/v1/objects/{id}</c>; "(unmatched)" otherwise.</summary>
    public static string RouteOf(HttpContext context) =>
        context.Items.TryGetValue(typeof(RequestObservation), out var kept) && kept is string route ? route
        : context.GetEndpoint() is RouteEndpoint endpoint ? RouteOf(endpoint) : "(unmatched)";

    public static string RouteOf(RouteEndpoint endpoint) => "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');

    /// <summary>The tenant of the caller's key, <see cref="TenantLabels.Admin"/> for the admin key, <see cref="TenantLabels.Anonymous"/> without a key.</summary>
    public static string TenantOf(ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthentication.TenantClaim) ?? (user.IsInRole(ApiKeyAuthentication.AdminRole) ? TenantLabels.Admin : TenantLabels.Anonymous);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Route} {Status} in {DurationMs} ms tenant={Tenant} request={RequestId}")]
    private static partial void LogRequest(ILogger logger, string method, string route, int status, double durationMs, string tenant, string requestId);
}
