using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.RateLimiting;

/// <summary>
/// Requests without a key (public objects, signed links) count against the owning tenant's limits, in a bucket of their
/// own: visitors cannot lock a tenant out of its own API, nor touch other tenants.
/// </summary>
public sealed class AnonymousRequestTests
{
    [Fact]
    public async Task Public_content_and_links_share_the_owners_anonymous_bucket_and_leave_its_own_alone()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        var globex = await service.CreateTenantAsync("globex");
        var open = (await acme.Http.UploadTextAsync("open.txt", "for everyone", new Dictionary<string, string> { ["public"] = "true" })).GetProperty("id").GetString();
        var secret = (await acme.Http.UploadTextAsync("secret.txt", "by link")).GetProperty("id").GetString();
        var link = (await (await acme.Http.PostAsJsonAsync($"/v1/objects/{secret}/links", new { expiresInSeconds = 600 }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        var globexOpen = (await globex.Http.UploadTextAsync("globex.txt", "theirs", new Dictionary<string, string> { ["public"] = "true" })).GetProperty("id").GetString();
        await service.SetLimitsAsync("acme", new { requestsPerMinute = 60, requestBurst = 3 });

        var first = await service.Anonymous.GetAsync($"/v1/objects/{open}/content");
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.RateLimit().ShouldBe((3, 2, 1));
        (await service.Anonymous.GetAsync(link)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await service.Anonymous.GetAsync($"/v1/objects/{open}/content")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var refused = await service.Anonymous.GetAsync($"/v1/objects/{open}/content");
        (await refused.ShouldBeRateLimitedAsync("anonymousRequests")).GetProperty("detail").GetString()!.ShouldContain("'acme'");
        await (await service.Anonymous.GetAsync(link)).ShouldBeRateLimitedAsync("anonymousRequests");
        var own = await acme.Http.GetAsync($"/v1/objects/{open}/content");
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        own.RateLimit().ShouldBe((3, 2, 1)); // the tenant's own bucket is untouched
        (await service.Anonymous.GetAsync($"/v1/objects/{globexOpen}/content")).StatusCode.ShouldBe(HttpStatusCode.OK);

        clock.Advance(TimeSpan.FromSeconds(1));
        (await service.Anonymous.GetStringAsync(link)).ShouldBe("by link");
    }

    [Fact]
    public async Task Anonymous_requests_that_reach_no_object_charge_no_tenant()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        var open = (await acme.Http.UploadTextAsync("open.txt", "for everyone", new Dictionary<string, string> { ["public"] = "true" })).GetProperty("id").GetString();
        var closed = (await acme.Http.UploadTextAsync("closed.txt", "not for you")).GetProperty("id").GetString();
        await service.SetLimitsAsync("acme", new { requestsPerMinute = 60, requestBurst = 1 });

        for (var i = 0; i < 3; i++)
        {
            await (await service.Anonymous.GetAsync($"/v1/objects/{closed}/content")).ShouldBeProblemAsync(401);
            await (await service.Anonymous.GetAsync("/v1/links/not-a-token")).ShouldBeProblemAsync(403);
        }

        (await service.Anonymous.GetAsync($"/v1/objects/{open}/content")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
