using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StorageApi.Health;

public sealed record CheckView(string Status, string? Description, double DurationMs);
public sealed record HealthView(
    string Status, string Version, string Commit, string Environment, string? Tenant, string Instance,
    DateTime StartedAt, double UptimeSeconds, IReadOnlyDictionary<string, CheckView> Checks);

public static class HealthApi
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var statusCodes = new Dictionary<HealthStatus, int>
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        };

        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync, ResultStatusCodes = statusCodes })
            .WithTags("Health").WithName("Live").WithSummary("200 while the process serves requests").WithOpenApi200();
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync, ResultStatusCodes = statusCodes })
            .WithTags("Health").WithName("Ready").WithSummary("200 when database, migrations, data directory and disk are fine; else 503").WithOpenApi200();
        routes.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync, ResultStatusCodes = statusCodes })
            .WithTags("Health").WithName("Health").WithSummary("Status, version, commit, environment, tenant, instance, uptime and every check").WithOpenApi200();
        return routes;
    }

    private static IEndpointConventionBuilder WithOpenApi200(this IEndpointConventionBuilder builder) =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(HealthView), ["application/json"]))
               .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(HealthView), ["application/json"]));

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var instance = context.RequestServices.GetRequiredService<InstanceInfo>();
        var build = BuildInfo.Current;
        var view = new HealthView(
            report.Status == HealthStatus.Unhealthy ? "unhealthy" : "healthy",
            build.Version, build.Commit, instance.Environment, instance.Tenant, instance.Id,
            instance.StartedAt, instance.UptimeSeconds,
            report.Entries.ToDictionary(e => e.Key, e => new CheckView(
                e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description, Math.Round(e.Value.Duration.TotalMilliseconds, 2))));
        context.Response.Headers.CacheControl = "no-store";
        var json = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>();
        return context.Response.WriteAsJsonAsync(view, json.Value.SerializerOptions);
    }
}
