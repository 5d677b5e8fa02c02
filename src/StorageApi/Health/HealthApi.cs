using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StorageApi.Health;

public sealed record CheckView(string Status, string? Description, double DurationMs, IReadOnlyDictionary<string, object>? Data);
public sealed record HealthView(
    string Status, string Version, string Commit, string Environment, string? Tenant, string Instance,
    DateTime StartedAt, double UptimeSeconds, IReadOnlyDictionary<string, CheckView> Checks);

public static class HealthApi
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var health = routes.MapGroup("/health").WithTags("Health").AllowAnonymous();

        health.MapGet("/live", (HttpContext context, InstanceInfo instance) =>
                Respond(context, instance, new HealthReport(new Dictionary<string, HealthReportEntry>(), TimeSpan.Zero)))
            .WithName("Live").WithSummary("200 while the process serves requests").ProducesHealth();

        health.MapGet("/ready", async (HttpContext context, InstanceInfo instance, HealthCheckService checks) =>
                Respond(context, instance, await checks.CheckHealthAsync(c => c.Tags.Contains(ReadyTag), context.RequestAborted)))
            .WithName("Ready").WithSummary("200 when database, migrations, data directory and free disk are fine; else 503").ProducesHealth();

        health.MapGet("/", async (HttpContext context, InstanceInfo instance, HealthCheckService checks) =>
                Respond(context, instance, await checks.CheckHealthAsync(context.RequestAborted)))
            .WithName("Health").WithSummary("Status, version, commit, environment, tenant, instance, uptime and every check; 503 when not ready").ProducesHealth();

        return routes;
    }

    private static RouteHandlerBuilder ProducesHealth(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces<HealthView>(StatusCodes.Status200OK).Produces<HealthView>(StatusCodes.Status503ServiceUnavailable);

    private static IResult Respond(HttpContext context, InstanceInfo instance, HealthReport report)
    {
        var build = BuildInfo.Current;
        var healthy = report.Status != HealthStatus.Unhealthy;
        var view = new HealthView(
            healthy ? "healthy" : "unhealthy",
            build.Version, build.Commit, instance.Environment, instance.Tenant, instance.Id,
            instance.StartedAt, instance.UptimeSeconds,
            report.Entries.ToDictionary(e => e.Key, e => new CheckView(
                e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description, Math.Round(e.Value.Duration.TotalMilliseconds, 2),
                e.Value.Data.Count == 0 ? null : e.Value.Data)));
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(view, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
