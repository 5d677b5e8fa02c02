using Sentry.AspNetCore;
using Sentry.Extensions.Logging;
using StorageApi.Configuration;
using StorageApi.Health;

namespace StorageApi.Observability;

/// <summary>
/// Unhandled errors go to Sentry when <c>SENTRY_DSN</c> is set, tagged with tenant, environment, release and request id.
/// Nothing that identifies a caller or a file travels: no headers (API keys live there), cookies, bodies or query strings.
/// </summary>
public static class ErrorTracking
{
    public static void Configure(SentryAspNetCoreOptions options, StorageSettings settings)
    {
        options.Dsn = settings.SentryDsn;
        options.Environment = settings.Environment;
        options.Release = BuildInfo.Current.Version;
        options.SendDefaultPii = false;
        options.MaxRequestBodySize = Sentry.Extensibility.RequestSize.None;
        options.AutoSessionTracking = false;
        options.TracesSampleRate = 0;
        // EF Core logs a failing command as an error too; the exception handler's event already carries the exception.
        options.AddLogEntryFilter((category, _, _, _) => category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        // The host's own request lines carry raw paths and query strings (signed links, search terms): not as breadcrumbs.
        options.SetBeforeBreadcrumb((breadcrumb, _) => breadcrumb.Category?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true ? null : breadcrumb);
        options.SetBeforeSend((sentryEvent, _) =>
        {
            sentryEvent.Request.Headers.Clear();
            sentryEvent.Request.Cookies = null;
            sentryEvent.Request.QueryString = null;
            sentryEvent.Request.Data = null;
            sentryEvent.Request.Url = null; // a path can hold a signed link; the route tag says where it happened
            if (settings.TenantId is { } dedicated) sentryEvent.SetTag("instance.tenant", dedicated);
            return sentryEvent;
        });
    }

    /// <summary>Tags the request's Sentry scope once the caller is known (runs after authentication).</summary>
    public static IApplicationBuilder UseErrorTrackingTags(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.RequestServices.GetService<Sentry.IHub>() is { IsEnabled: true } hub)
            hub.ConfigureScope(scope =>
            {
                scope.SetTag("tenant", RequestObservation.TenantOf(context.User));
                scope.SetTag("request_id", RequestObservation.RequestIdOf(context));
                scope.SetTag("route", RequestObservation.RouteOf(context));
            });
        await next(context);
    });
}
