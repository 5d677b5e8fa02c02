using System.Net;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Observability;

/// <summary>
/// Runs alone. Every service in the test process creates a meter of the same name, and the exporter takes an instrument
/// from whichever meter registered it first: when that service is disposed by a test running beside this one, the
/// instrument's stream goes with it and this test's scrape lacks it (seen under load on a 2-CPU machine).
/// </summary>
[CollectionDefinition(nameof(ReadsProcessWideMeters), DisableParallelization = true)]
public sealed class ReadsProcessWideMeters;

/// <summary>/metrics in Prometheus format: requests, errors, latency and bytes per route and tenant, only for the operator.</summary>
[Collection(nameof(ReadsProcessWideMeters))]
public sealed class MetricsTests
{
    [Fact]
    public async Task Requests_bytes_and_objects_are_counted_per_route_and_tenant()
    {
        await using var service = await RunningService.StartAsync();
        // Meters are found by name in the whole process, where other tests run services too: tenants of its own keep this test's counts apart.
        var (acmeId, globexId) = ("acme-" + Guid.NewGuid().ToString("N")[..8], "globex-" + Guid.NewGuid().ToString("N")[..8]);
        var acme = await service.CreateTenantAsync(acmeId);
        var globex = await service.CreateTenantAsync(globexId);
        var id = (await acme.Http.UploadTextAsync("a.txt", "twelve bytes")).GetProperty("id").GetString()!;
        (await acme.Http.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("twelve bytes");
        (await globex.Http.GetAsync($"/v1/objects/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var text = await ScrapeUntilAsync(service, $$"""storage_objects\{[^}]*tenant="{{acmeId}}"[^}]*\} 1""");

        text.ShouldContain("# TYPE storage_requests_total counter");
        text.ShouldMatch($$"""storage_requests_total\{[^}]*route="/v1/objects",[^}]*status="201",[^}]*tenant="{{acmeId}}"[^}]*\} 1""");
        text.ShouldMatch($$"""storage_requests_total\{[^}]*route="/v1/objects/\{id\}",[^}]*status="404",[^}]*tenant="{{globexId}}"[^}]*\} 1""");
        text.ShouldMatch($$"""storage_upload_bytes[a-z_]*\{[^}]*tenant="{{acmeId}}"[^}]*\} 12""");
        text.ShouldMatch($$"""storage_download_bytes[a-z_]*\{[^}]*tenant="{{acmeId}}"[^}]*\} 12""");
        text.ShouldMatch($$"""storage_objects\{[^}]*tenant="{{acmeId}}"[^}]*\} 1""");
        text.ShouldContain("storage_request_duration_seconds_bucket");
        text.ShouldNotContain(id); // routes are templates, never paths
    }

    [Fact]
    public async Task Objects_waiting_for_their_embedding_are_a_gauge_per_tenant()
    {
        await using var service = await RunningService.StartAsync(configureServices: Search.SearchTesting.ManualWorker());
        var tenantId = "queue-" + Guid.NewGuid().ToString("N")[..8];
        var tenant = await service.CreateTenantAsync(tenantId);
        await tenant.Http.UploadTextAsync("a.txt", "first");
        await tenant.Http.UploadTextAsync("b.txt", "second");

        var text = await ScrapeUntilAsync(service, $$"""storage_embedding_queue\{[^}]*tenant="{{tenantId}}"[^}]*\} 2""");

        text.ShouldMatch($$"""storage_embedding_queue\{[^}]*tenant="{{tenantId}}"[^}]*\} 2""");
    }

    [Fact]
    public async Task Metrics_are_for_the_admin_key_or_a_direct_local_caller_never_through_the_proxy_or_a_tenant_key()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");

        (await service.Anonymous.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK); // the test client is on loopback
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-For", "203.0.113.9" } } };
        await (await service.Anonymous.SendAsync(proxied)).ShouldBeProblemAsync(401);
        using var tenantThroughProxy = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-For", "203.0.113.9" } } };
        await (await acme.Http.SendAsync(tenantThroughProxy)).ShouldBeProblemAsync(403);
        using var adminThroughProxy = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Forwarded-For", "203.0.113.9" } } };
        (await service.Admin.SendAsync(adminThroughProxy)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await service.Admin.PostAsync("/metrics", null)).StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    /// <summary>
    /// Row counts (objects, embeddings waiting) are read at most every 15 seconds, and another service in this test
    /// process may have had them read a moment too early (meter listeners observe every instrument of the name): scrape
    /// until the expected line shows, for at most 20 seconds, then return the last text for the assertions.
    /// </summary>
    private static async Task<string> ScrapeUntilAsync(RunningService service, string pattern)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var text = await service.Admin.GetStringAsync("/metrics");
        while (!System.Text.RegularExpressions.Regex.IsMatch(text, pattern) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            text = await service.Admin.GetStringAsync("/metrics");
        }
        return text;
    }
}
