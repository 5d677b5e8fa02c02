using System.Net;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Health;

/// <summary>
/// Anyone may learn whether the instance is healthy and which version it runs; the data path, migration names and
/// check errors are for the admin key or a caller on this machine that does not come through the proxy.
/// </summary>
public sealed class HealthPrivacyTests
{
    private static HttpRequestMessage ThroughTheProxy(string path, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", "203.0.113.9"); // what nginx adds to every proxied request
        if (key is not null) request.Headers.Add("X-API-Key", key);
        return request;
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    [InlineData("/health/live")]
    public async Task A_caller_through_the_proxy_sees_status_and_version_only(string path)
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");

        foreach (var key in new[] { null, acme.Key })
        {
            var response = await service.Anonymous.SendAsync(ThroughTheProxy(path, key));

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = await response.Content.ReadAsStringAsync();
            var health = JsonDocument.Parse(body).RootElement;
            health.EnumerateObject().Select(p => p.Name).ShouldBe(["status", "version"]);
            health.GetProperty("status").GetString().ShouldBe("healthy");
            health.GetProperty("version").GetString().ShouldBe(StorageApi.Health.BuildInfo.Current.Version);
            body.ShouldNotContain(service.Settings.DataDirectory);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task An_unready_instance_is_503_for_everyone_but_only_operators_learn_why()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            [StorageApi.Configuration.KnownVariables.MinFreeDiskMegabytes] = (long.MaxValue / (1024 * 1024)).ToString(),
        });

        var anonymous = await service.Anonymous.SendAsync(ThroughTheProxy("/health"));
        var admin = await service.Anonymous.SendAsync(ThroughTheProxy("/health", RunningService.AdminKey));

        anonymous.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var summary = JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync()).RootElement;
        summary.GetProperty("status").GetString().ShouldBe("unhealthy");
        summary.TryGetProperty("checks", out _).ShouldBeFalse();
        admin.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var report = JsonDocument.Parse(await admin.Content.ReadAsStringAsync()).RootElement;
        report.GetProperty("checks").GetProperty("freeDisk").GetProperty("status").GetString().ShouldBe("unhealthy");
        report.GetProperty("checks").GetProperty("dataDirectory").GetProperty("description").GetString().ShouldBe(service.Settings.DataDirectory);
    }

    [Fact]
    public async Task A_caller_on_this_machine_without_the_proxy_gets_the_full_report_as_storagectls_gate_does()
    {
        await using var service = await RunningService.StartAsync();

        var health = JsonDocument.Parse(await service.Anonymous.GetStringAsync("/health")).RootElement;

        health.GetProperty("instance").GetString().ShouldNotBeNullOrEmpty();
        health.GetProperty("checks").GetProperty("migrations").GetProperty("status").GetString().ShouldBe("healthy");
    }
}
