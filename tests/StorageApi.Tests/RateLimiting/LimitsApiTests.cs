using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.RateLimiting;

/// <summary>GET and PUT /v1/admin/tenants/{id}/limits: overrides per tenant, stored, in force at once.</summary>
public sealed class LimitsApiTests
{
    private static async Task<JsonElement> GetLimitsAsync(RunningService service, string tenantId)
    {
        var response = await service.Admin.GetAsync($"/v1/admin/tenants/{tenantId}/limits");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> PutRawAsync(HttpClient client, string tenantId, string json) =>
        client.PutAsync($"/v1/admin/tenants/{tenantId}/limits", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_new_tenant_works_under_the_defaults_and_has_no_overrides()
    {
        await using var service = await RunningService.StartAsync();
        await service.CreateTenantAsync("acme");

        var limits = await GetLimitsAsync(service, "acme");

        limits.GetProperty("tenantId").GetString().ShouldBe("acme");
        limits.GetProperty("effective").GetRawText().ShouldBe(limits.GetProperty("defaults").GetRawText());
        limits.GetProperty("defaults").GetRawText().ShouldBe("""{"requestsPerMinute":10000,"requestBurst":1000,"uploadBytesPerMinute":10737418240,"concurrentUploads":16}""");
        limits.GetProperty("overrides").GetRawText().ShouldBe("""{"requestsPerMinute":null,"requestBurst":null,"uploadBytesPerMinute":null,"concurrentUploads":null}""");
        limits.GetProperty("updatedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Put_replaces_the_overrides_and_a_value_left_out_returns_to_its_default()
    {
        await using var service = await RunningService.StartAsync();
        await service.CreateTenantAsync("acme");

        var set = await service.SetLimitsAsync("acme", new { requestsPerMinute = 120, concurrentUploads = 2 });
        var read = await GetLimitsAsync(service, "acme");
        var replaced = await service.SetLimitsAsync("acme", new { requestBurst = 7, requestsPerMinute = (int?)null });
        var cleared = await service.SetLimitsAsync("acme", new { });

        set.GetRawText().ShouldBe(read.GetRawText());
        read.GetProperty("effective").GetRawText().ShouldBe("""{"requestsPerMinute":120,"requestBurst":1000,"uploadBytesPerMinute":10737418240,"concurrentUploads":2}""");
        read.GetProperty("overrides").GetRawText().ShouldBe("""{"requestsPerMinute":120,"requestBurst":null,"uploadBytesPerMinute":null,"concurrentUploads":2}""");
        read.GetProperty("updatedAt").ValueKind.ShouldBe(JsonValueKind.String);
        replaced.GetProperty("effective").GetRawText().ShouldBe("""{"requestsPerMinute":10000,"requestBurst":7,"uploadBytesPerMinute":10737418240,"concurrentUploads":16}""");
        cleared.GetProperty("overrides").GetRawText().ShouldBe("""{"requestsPerMinute":null,"requestBurst":null,"uploadBytesPerMinute":null,"concurrentUploads":null}""");
        cleared.GetProperty("updatedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("""{"requestsPerMinute":0}""", "'requestsPerMinute' is 0; it must be a whole number from 1 to 1000000")]
    [InlineData("""{"requestsPerMinute":1000001}""", "requestsPerMinute")]
    [InlineData("""{"requestBurst":-1}""", "'requestBurst' is -1")]
    [InlineData("""{"uploadBytesPerMinute":1023}""", "'uploadBytesPerMinute' is 1023; it must be a whole number from 1024 to 1099511627776")]
    [InlineData("""{"uploadBytesPerMinute":1099511627777}""", "uploadBytesPerMinute")]
    [InlineData("""{"concurrentUploads":0}""", "concurrentUploads")]
    [InlineData("""{"concurrentUploads":1001}""", "concurrentUploads")]
    [InlineData("""{"requestBurst":3000000000}""", "'requestBurst' must be a whole number")]
    [InlineData("""{"requestBurst":1.5}""", "'requestBurst' must be a whole number")]
    [InlineData("""{"requestsPerHour":10}""", "requestsPerHour")]
    [InlineData("""[1,2]""", "JSON")]
    [InlineData("""{"requestBurst":""", "JSON")]
    public async Task Bad_limits_are_400_and_change_nothing(string body, string expected)
    {
        await using var service = await RunningService.StartAsync();
        await service.CreateTenantAsync("acme");
        await service.SetLimitsAsync("acme", new { requestBurst = 50 });
        var before = (await GetLimitsAsync(service, "acme")).GetRawText();

        var problem = await (await PutRawAsync(service.Admin, "acme", body)).ShouldBeProblemAsync(400);

        problem.GetProperty("detail").GetString()!.ShouldContain(expected);
        (await GetLimitsAsync(service, "acme")).GetRawText().ShouldBe(before);
    }

    [Fact]
    public async Task Every_value_out_of_range_is_named_at_once()
    {
        await using var service = await RunningService.StartAsync();
        await service.CreateTenantAsync("acme");

        var problem = await (await PutRawAsync(service.Admin, "acme", """{"requestsPerMinute":0,"requestBurst":0,"uploadBytesPerMinute":0,"concurrentUploads":0}""")).ShouldBeProblemAsync(400);

        var detail = problem.GetProperty("detail").GetString()!;
        foreach (var name in new[] { "requestsPerMinute", "requestBurst", "uploadBytesPerMinute", "concurrentUploads" }) detail.ShouldContain($"'{name}' is 0");
    }

    [Fact]
    public async Task An_unknown_tenant_is_404_and_only_the_admin_key_may_read_or_set_limits()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");

        await (await service.Admin.GetAsync("/v1/admin/tenants/nobody/limits")).ShouldBeProblemAsync(404);
        await (await PutRawAsync(service.Admin, "nobody", """{"requestBurst":5}""")).ShouldBeProblemAsync(404);
        await (await acme.Http.GetAsync("/v1/admin/tenants/acme/limits")).ShouldBeProblemAsync(403);
        await (await PutRawAsync(acme.Http, "acme", """{"requestBurst":100000}""")).ShouldBeProblemAsync(403);
        await (await service.Anonymous.GetAsync("/v1/admin/tenants/acme/limits")).ShouldBeProblemAsync(401);
        await (await PutRawAsync(service.Anonymous, "acme", """{"requestBurst":100000}""")).ShouldBeProblemAsync(401);
    }

    [Fact]
    public async Task A_change_is_in_force_for_the_next_request_without_a_restart()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        await service.SetLimitsAsync("acme", new { requestsPerMinute = 60, requestBurst = 2 });
        (await acme.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await acme.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await acme.Http.GetAsync("/v1/objects")).ShouldBeRateLimitedAsync("requests");

        await service.SetLimitsAsync("acme", new { requestsPerMinute = 60, requestBurst = 10 }); // a raise is there at once
        var raised = await acme.Http.GetAsync("/v1/objects");
        raised.StatusCode.ShouldBe(HttpStatusCode.OK);
        raised.RateLimit().ShouldBe((10, 7, 3));

        await service.SetLimitsAsync("acme", new { requestsPerMinute = 60, requestBurst = 1 }); // and so is a cut
        (await acme.Http.GetAsync("/v1/objects")).RateLimit().ShouldBe((1, 0, 1));
        await (await acme.Http.GetAsync("/v1/objects")).ShouldBeRateLimitedAsync("requests");

        await service.SetLimitsAsync("acme", new { });
        var defaults = await acme.Http.GetAsync("/v1/objects");
        defaults.StatusCode.ShouldBe(HttpStatusCode.OK);
        defaults.RateLimit().Limit.ShouldBe(1000);
    }

    [Fact]
    public async Task Limits_are_stored_and_survive_a_restart()
    {
        using var folder = new TempFolder();
        string key;
        await using (var first = await RunningService.StartAsync(root: folder.Path))
        {
            key = (await first.CreateTenantAsync("acme")).Key;
            await first.SetLimitsAsync("acme", new { requestsPerMinute = 1, requestBurst = 2, concurrentUploads = 3 });
        }

        await using var second = await RunningService.StartAsync(root: folder.Path);
        using var acme = second.CreateClient(key);

        var limits = await GetLimitsAsync(second, "acme");
        limits.GetProperty("overrides").GetRawText().ShouldBe("""{"requestsPerMinute":1,"requestBurst":2,"uploadBytesPerMinute":null,"concurrentUploads":3}""");
        (await acme.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await acme.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await acme.GetAsync("/v1/objects")).ShouldBeRateLimitedAsync("requests");
    }
}
