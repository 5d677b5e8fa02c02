using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>storagectl deploys the published service over real ssh to real nginx hosts; traffic never fails, bad releases roll back.</summary>
[Collection(DeployCollection.Name)]
public sealed class DeployTests(Artifacts artifacts)
{
    private static async Task<string> CreateKeyAsync(TestFleet fleet, string tenant)
    {
        using var admin = fleet.Client(tenant, fleet.AdminKey(tenant));
        (await admin.PostAsJsonAsync("/v1/admin/tenants", new { id = tenant, name = tenant })).EnsureSuccessStatusCode();
        var key = await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenant}/keys", new { name = "e2e" });
        key.EnsureSuccessStatusCode();
        return (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    private static async Task DeployAsync(TestFleet fleet, string artifact)
    {
        var result = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifact);
        result.ExitCode.ShouldBe(0, result.ToString());
    }

    [Fact]
    public async Task Version_one_reaches_three_tenants_on_two_hosts_and_each_instance_serves_only_its_tenant()
    {
        await using var fleet = await TestFleet.StartAsync();

        await DeployAsync(fleet, artifacts.V1);

        foreach (var tenant in TestFleet.Tenants)
        {
            var health = await fleet.HealthAsync(tenant);
            health.GetProperty("version").GetString().ShouldBe("1.0.0");
            health.GetProperty("tenant").GetString().ShouldBe(tenant);
            health.GetProperty("environment").GetString().ShouldBe("production");
        }
        var acmeKey = await CreateKeyAsync(fleet, "acme");
        await CreateKeyAsync(fleet, "globex");
        using (var acmeOnAcme = fleet.Client("acme", acmeKey)) (await acmeOnAcme.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var acmeOnGlobex = fleet.Client("globex", acmeKey)) (await acmeOnGlobex.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using (var globexAdminOnAcme = fleet.Client("acme", fleet.AdminKey("globex"))) (await globexAdminOnAcme.GetAsync("/v1/admin/tenants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var envFile = Path.Combine(fleet.TenantFolder("acme"), "shared", ".env");
        File.GetUnixFileMode(envFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.EnumerateFiles(Path.Combine(fleet.TenantFolder("acme"), "releases"), "*.db", SearchOption.AllDirectories).ShouldBeEmpty();
        File.Exists(Path.Combine(fleet.TenantFolder("acme"), "shared", "data", "storage.db")).ShouldBeTrue();
        var history = await File.ReadAllLinesAsync(Path.Combine(fleet.TenantFolder("initech"), "deploys.jsonl"));
        history.ShouldHaveSingleItem().ShouldContain("\"outcome\":\"succeeded\"");
        Directory.Exists(Path.Combine(fleet.TenantFolder("acme"), "deploy.lock")).ShouldBeFalse();
    }

    [Fact]
    public async Task Version_two_replaces_version_one_under_load_without_a_failed_request_or_a_lost_object()
    {
        await using var fleet = await TestFleet.StartAsync();
        await DeployAsync(fleet, artifacts.V1);
        var key = await CreateKeyAsync(fleet, "acme");
        using var acme = fleet.Client("acme", key);
        var stored = new Dictionary<string, string>();
        for (var i = 0; i < 10; i++)
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes($"object {i}")), "file", $"f{i}.txt" } };
            var created = await (await acme.PostAsync("/v1/objects", form)).Content.ReadFromJsonAsync<JsonElement>();
            stored[created.GetProperty("id").GetString()!] = $"object {i}";
        }

        using var stop = new CancellationTokenSource();
        var load = LoadAsync(fleet, key, stored.Keys.First(), stop.Token);
        await DeployAsync(fleet, artifacts.V2);
        stop.Cancel();
        var (total, failures) = await load;

        failures.ShouldBeEmpty();
        total.ShouldBeGreaterThan(50);
        foreach (var tenant in TestFleet.Tenants) (await fleet.HealthAsync(tenant)).GetProperty("version").GetString().ShouldBe("2.0.0");
        foreach (var (id, text) in stored) (await acme.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe(text);
    }

    /// <summary>Requests through nginx, one after another, until stopped: every answer must be a 200.</summary>
    private static async Task<(int Total, List<string> Failures)> LoadAsync(TestFleet fleet, string key, string objectId, CancellationToken stop)
    {
        using var client = fleet.Client("acme", key);
        var failures = new List<string>();
        var total = 0;
        while (!stop.IsCancellationRequested && total < 20_000)
        {
            foreach (var path in new[] { "/health/live", $"/v1/objects/{objectId}/content", "/v1/objects?limit=5" })
            {
                total++;
                try
                {
                    var response = await client.GetAsync(path, CancellationToken.None);
                    if (response.StatusCode != HttpStatusCode.OK) failures.Add($"{path}: {(int)response.StatusCode}");
                }
                catch (HttpRequestException e)
                {
                    failures.Add($"{path}: {e.Message}");
                }
            }
        }
        return (total, failures);
    }
}
