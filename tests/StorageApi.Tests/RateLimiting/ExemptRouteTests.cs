using System.Net;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.RateLimiting;

/// <summary>Health probes, metrics scrapes and the API description answer whatever a tenant has used up.</summary>
public sealed class ExemptRouteTests
{
    [Fact]
    public async Task Health_metrics_and_openapi_are_never_limited_even_for_an_exhausted_tenant()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        await service.SetLimitsAsync("acme", new { requestsPerMinute = 1, requestBurst = 1 });
        (await acme.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await acme.Http.GetAsync("/v1/objects")).ShouldBeRateLimitedAsync("requests");

        foreach (var path in new[] { "/health", "/health/live", "/health/ready", "/metrics", "/openapi/v1.json" })
            for (var i = 0; i < 5; i++)
            {
                var response = await acme.Http.GetAsync(path);
                response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
                response.Header("RateLimit-Limit").ShouldBeNull(path);
            }

        await (await acme.Http.GetAsync("/v1/objects")).ShouldBeRateLimitedAsync("requests");
    }

    [Fact]
    public async Task Refusals_are_counted_in_the_metrics_by_tenant_and_limit()
    {
        // Every service in this test process reports into meters of the same name: a tenant id of its own keeps the count apart.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var counted = await service.CreateTenantAsync("counted-refusals");
        await service.SetLimitsAsync(counted.Id, new { requestsPerMinute = 1, requestBurst = 1 });
        for (var i = 0; i < 4; i++) await counted.Http.GetAsync("/v1/objects");

        var metrics = await service.Admin.GetStringAsync("/metrics");

        metrics.ShouldMatch("""storage_rate_limited_total\{[^}]*limit="requests",[^}]*tenant="counted-refusals"[^}]*\} 3\b""");
    }
}
