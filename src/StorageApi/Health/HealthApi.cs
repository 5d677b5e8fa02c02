using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StorageApi.Data;
using StorageApi.Observability;
using StorageApi.RateLimiting;
using StorageApi.Tenancy;
using StorageApi.WriteHolds;

namespace StorageApi.Health;

public sealed record CheckView(string Status, string? Description, double DurationMs, IReadOnlyDictionary<string, object>? Data);
/// <summary>What anyone may know: enough for a load balancer or a deploy's health gate, nothing about the host.</summary>
public sealed record HealthSummary(string Status, string Version);
public sealed record HealthView(
    string Status, string Version, string Commit, string Environment, string? Tenant, string Instance,
    DateTime StartedAt, double UptimeSeconds, IReadOnlyDictionary<string, CheckView> Checks)
{
    /// <summary>In the full /health report only: live and ready do not read the database for it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WriteHoldView? WriteHold { get; init; }
}

public static class HealthApi
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var health = routes.MapGroup("/health").WithTags("Health").AllowAnonymous().ExemptFromRateLimits()
            .WithDescription("Anonymous callers, and every caller through the proxy, get only status and version; the admin key or a direct caller on the same machine gets the full report.");

        health.MapGet("/live", (HttpContext context, InstanceInfo instance) =>
                Respond(context, instance, new HealthReport(new Dictionary<string, HealthReportEntry>(), TimeSpan.Zero)))
            .WithName("Live").WithSummary("200 while the process serves requests").ProducesHealth();

        health.MapGet("/ready", async (HttpContext context, InstanceInfo instance, HealthCheckService checks) =>
                Respond(context, instance, await checks.CheckHealthAsync(c => c.Tags.Contains(ReadyTag), context.RequestAborted)))
            .WithName("Ready").WithSummary("200 when database, migrations, data directory and free disk are fine; else 503").ProducesHealth();

        health.MapGet("/", async (HttpContext context, InstanceInfo instance, HealthCheckService checks, StorageDb db, WritesInFlight inFlight) =>
            {
                var report = await checks.CheckHealthAsync(context.RequestAborted);
                var writeHold = IsOperator(context) ? await WriteHoldView.ReadAsync(db, inFlight, context.RequestAborted) : null;
                return Respond(context, instance, report, writeHold);
            })
            .WithName("Health").WithSummary("Status, version, commit, environment, tenant, instance, uptime, every check and the write hold; 503 when not ready")
            .ProducesHealth();

        return routes;
    }

    private static RouteHandlerBuilder ProducesHealth(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces<HealthView>(StatusCodes.Status200OK).Produces<HealthView>(StatusCodes.Status503ServiceUnavailable);

    /// <summary>
    /// The full report (data path, pending migration names, embedder errors) goes to operators only: the admin key, or a
    /// caller on this machine that does not come through the proxy, as for /metrics. storagectl's gates call a slot's
    /// port from the host itself; its checks through nginx need no more than the status code and the version.
    /// </summary>
    private static IResult Respond(HttpContext context, InstanceInfo instance, HealthReport report, WriteHoldView? writeHold = null)
    {
        var build = BuildInfo.Current;
        var healthy = report.Status != HealthStatus.Unhealthy;
        // Degraded (an overdue backup) still serves: 200, but the status says so.
        var status = report.Status switch { HealthStatus.Unhealthy => "unhealthy", HealthStatus.Degraded => "degraded", _ => "healthy" };
        var statusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        if (!IsOperator(context))
            return TypedResults.Json(new HealthSummary(status, build.Version), statusCode: statusCode);
        var view = new HealthView(
            status,
            build.Version, build.Commit, instance.Environment, instance.Tenant, instance.Id,
            instance.StartedAt, instance.UptimeSeconds,
            report.Entries.ToDictionary(e => e.Key, e => new CheckView(
                e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description, Math.Round(e.Value.Duration.TotalMilliseconds, 2),
                e.Value.Data.Count == 0 ? null : e.Value.Data))) { WriteHold = writeHold };
        return TypedResults.Json(view, statusCode: statusCode);
    }

    private static bool IsOperator(HttpContext context) =>
        context.User.IsInRole(ApiKeyAuthentication.AdminRole) || ObservabilityExtensions.IsDirectFromThisMachine(context);
}
