using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using StorageApi.Health;
using StorageApi.Configuration;
using StorageApi.RateLimiting;
using StorageApi.Tenancy;

namespace StorageApi.Observability;

public static class ObservabilityExtensions
{
    public const string MetricsPolicy = "metrics";

    /// <summary>
    /// The runtime's own meter (.NET 9 and later): process CPU time and working set, GC, heap, thread pool, locks,
    /// exceptions. It is all that OpenTelemetry.Instrumentation.Runtime enables on this runtime, so no package is needed.
    /// </summary>
    public const string RuntimeMeter = "System.Runtime";

    /// <summary>JSON logs outside development, metrics for Prometheus, and Sentry when a DSN is set.</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, StorageSettings settings)
    {
        if (!settings.IsDevelopment)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(options =>
            {
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.JsonWriterOptions = new() { Indented = false };
            });
            // The same JSON lines, written without the console logger's per-line lock (see QueuedConsoleLoggerProvider).
            foreach (var console in builder.Services.Where(d => d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList()) builder.Services.Remove(console);
            builder.Services.AddSingleton<ILoggerProvider, QueuedConsoleLoggerProvider>();
        }
        if (settings.SentryDsn is not null) builder.WebHost.UseSentry(options => ErrorTracking.Configure(options, settings));

        var services = builder.Services;
        services.AddSingleton<StorageMetrics>();
        services.AddSingleton<KnownTenants>();
        services.AddSingleton<ZeroSeries>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddDetector(provider => new ServiceIdentity(provider.GetRequiredService<InstanceInfo>())))
            .WithMetrics(metrics => metrics.AddMeter(StorageMetrics.MeterName)
                .AddMeter(RuntimeMeter)
                .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape sees the latest counts
        services.AddAuthorizationBuilder().AddPolicy(MetricsPolicy, policy => policy.RequireAssertion(context =>
            context.User.IsInRole(ApiKeyAuthentication.AdminRole) || (context.Resource is HttpContext http && IsDirectFromThisMachine(http))));
        return builder;
    }

    /// <summary>Outermost: sees the final status of every request, including those that end in the exception handler.</summary>
    public static IApplicationBuilder UseRequestObservation(this IApplicationBuilder app) => app.UseMiddleware<RequestObservation>();

    /// <summary><c>GET /metrics</c> for the admin key, or for a scraper on this machine that does not come through the proxy.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, optionsName: null, configureBranchedPipeline: scrape => scrape.Use((context, next) =>
            {
                context.RequestServices.GetRequiredService<ZeroSeries>().Seed();
                return next(context);
            }))
            .RequireAuthorization(MetricsPolicy).WithMetadata(new HttpMethodMetadata(["GET"])).ExemptFromRateLimits();
        return routes;
    }

    /// <summary>Loopback without forwarding headers: nginx adds X-Forwarded-For, so proxied callers never count as local.</summary>
    public static bool IsDirectFromThisMachine(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For") && !context.Request.Headers.ContainsKey("X-Real-IP");
}
