using System.Net;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.RateLimiting;

/// <summary>Requests per tenant: a token bucket with a burst. One tenant over its limit never slows another down.</summary>
public sealed class BurstTests
{
    [Fact]
    public async Task A_tenant_over_its_burst_gets_429s_while_another_tenant_is_served_at_the_same_moment()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow); // stands still: no token comes back during the test
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        var globex = await service.CreateTenantAsync("globex");
        await service.SetLimitsAsync("acme", new { requestsPerMinute = 60, requestBurst = 5 });

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<HttpResponseMessage> Call(TenantClient tenant) => Task.Run(async () => { await start.Task; return await tenant.Http.GetAsync("/v1/objects"); });
        var acmeCalls = Enumerable.Range(0, 20).Select(_ => Call(acme)).ToList();
        var globexCalls = Enumerable.Range(0, 20).Select(_ => Call(globex)).ToList();
        start.SetResult();
        var acmeResponses = await Task.WhenAll(acmeCalls);
        var globexResponses = await Task.WhenAll(globexCalls);

        var served = acmeResponses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        var refused = acmeResponses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        served.Count.ShouldBe(5);
        refused.Count.ShouldBe(15);
        served.Select(r => r.RateLimit()).OrderBy(h => h.Remaining).ShouldBe([(5, 0, 5), (5, 1, 4), (5, 2, 3), (5, 3, 2), (5, 4, 1)]);
        foreach (var response in refused)
        {
            var problem = await response.ShouldBeRateLimitedAsync("requests");
            problem.GetProperty("detail").GetString()!.ShouldContain("60 requests per minute");
            response.RetryAfter().ShouldBe(1); // one token a second
            response.RateLimit().ShouldBe((5, 0, 5));
        }
        foreach (var response in globexResponses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            response.RateLimit().Limit.ShouldBe(1000); // the development default burst
        }
    }

    [Fact]
    public async Task Tokens_come_back_at_the_tenants_rate()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        await service.SetLimitsAsync("acme", new { requestsPerMinute = 30, requestBurst = 2 });

        (await acme.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await acme.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await acme.Http.GetAsync("/v1/objects");
        await refused.ShouldBeRateLimitedAsync("requests");
        refused.RetryAfter().ShouldBe(2); // 30 a minute: one every 2 seconds
        refused.RateLimit().ShouldBe((2, 0, 4));

        clock.Advance(TimeSpan.FromSeconds(1));
        await (await acme.Http.GetAsync("/v1/objects")).ShouldBeRateLimitedAsync("requests");
        clock.Advance(TimeSpan.FromSeconds(1));
        var next = await acme.Http.GetAsync("/v1/objects");
        next.StatusCode.ShouldBe(HttpStatusCode.OK);
        next.RateLimit().ShouldBe((2, 0, 4));

        clock.Advance(TimeSpan.FromMinutes(5)); // a full bucket holds no more than the burst
        (await acme.Http.GetAsync("/v1/objects")).RateLimit().ShouldBe((2, 1, 2));
    }

    [Fact]
    public async Task Error_responses_count_and_carry_the_headers_too()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        await service.SetLimitsAsync("acme", new { requestsPerMinute = 60, requestBurst = 2 });

        var missing = await acme.Http.GetAsync("/v1/objects/obj_00000000000000000000000000000000");
        await missing.ShouldBeProblemAsync(404);
        missing.RateLimit().ShouldBe((2, 1, 1));
        var forbidden = await acme.Http.GetAsync("/v1/admin/tenants");
        await forbidden.ShouldBeProblemAsync(403);
        await (await acme.Http.GetAsync("/v1/objects")).ShouldBeRateLimitedAsync("requests");
    }

    [Fact]
    public async Task The_admin_key_is_never_limited()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["RATE_LIMIT_REQUESTS_PER_MINUTE"] = "1",
            ["RATE_LIMIT_REQUEST_BURST"] = "2",
        });

        for (var i = 0; i < 10; i++)
        {
            var response = await service.Admin.GetAsync("/v1/admin/tenants");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Header("RateLimit-Limit").ShouldBeNull();
        }
    }
}
