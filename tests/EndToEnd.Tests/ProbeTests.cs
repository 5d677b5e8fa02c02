using System.Net.Http.Json;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>The isolation probe against real hosts: it passes on a healthy fleet without leaving anything behind, and catches a planted break.</summary>
[Collection(DeployCollection.Name)]
public sealed class ProbeTests(Artifacts artifacts, ITestOutputHelper output)
{
    private static async Task CreateTenantAsync(TestFleet fleet, string tenant)
    {
        using var admin = fleet.Client(tenant, fleet.AdminKey(tenant));
        (await admin.PostAsJsonAsync("/v1/admin/tenants", new { id = tenant, name = tenant })).EnsureSuccessStatusCode();
    }

    /// <summary>`storage-api keys list` on the tenant's host, in shared/ (where .env is), as an operator would run it.</summary>
    private static async Task<string[]> KeysAsync(TestFleet fleet, string tenant)
    {
        var folder = fleet.TenantFolder(tenant);
        var result = await TestProcess.RunAsync(new System.Diagnostics.ProcessStartInfo(Path.Combine(folder, "current", "storage-api"), ["keys", "list", tenant])
            { WorkingDirectory = Path.Combine(folder, "shared") }, TimeSpan.FromMinutes(1));
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static JsonElement LastRecord(TestFleet fleet, string tenant) =>
        JsonDocument.Parse(File.ReadAllLines(Path.Combine(fleet.TenantFolder(tenant), "deploys.jsonl"))[^1]).RootElement;

    [Fact]
    public async Task The_probe_passes_on_a_healthy_fleet_and_leaves_no_probe_key_or_object_behind()
    {
        await using var fleet = await TestFleet.StartAsync();
        var deploy = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1);
        deploy.ExitCode.ShouldBe(0, deploy.ToString());
        // The deploy probed tenants that do not exist yet: the checks that need no key of their own ran, the rest waited.
        deploy.Output.ShouldContain("acme@host-a: isolation probe passed:");
        deploy.Output.ShouldContain("acme: the tenant does not exist in its instance yet; waited for it: probe key on an admin route");
        foreach (var tenant in TestFleet.Tenants) await CreateTenantAsync(fleet, tenant);

        var took = System.Diagnostics.Stopwatch.StartNew();
        var probe = await fleet.StorageCtlAsync("probe", "production");
        output.WriteLine($"storagectl probe production: {took.Elapsed.TotalSeconds:F1} s\n{probe}");

        probe.ExitCode.ShouldBe(0, probe.ToString());
        probe.Output.ShouldMatch(@"acme\s+no key\s+401\s+401\s+ok");
        probe.Output.ShouldMatch(@"acme\s+probe key on /v1/admin/tenants\s+403\s+403\s+ok");
        probe.Output.ShouldMatch(@"acme\s+/health names the tenant\s+acme\s+acme\s+ok");
        probe.Output.ShouldMatch(@"acme\s+initech's probe key here\s+401\s+401\s+ok");
        probe.Output.ShouldMatch(@"globex\s+initech's probe object here\s+404\s+404\s+ok");
        probe.Output.ShouldMatch(@"initech\s+revoked probe key\s+401\s+401\s+ok");
        probe.Output.ShouldContain("isolation probe passed: 24 of 24 checks; probe keys and objects removed");
        foreach (var tenant in TestFleet.Tenants)
        {
            var keys = await KeysAsync(fleet, tenant);
            keys.ShouldHaveSingleItem().ShouldContain("\tisolation-probe-"); // the probe's own key, revoked
            keys.ShouldAllBe(k => !k.EndsWith("\tactive"));
            LastRecord(fleet, tenant).GetProperty("kind").GetString().ShouldBe("probe");
            LastRecord(fleet, tenant).GetProperty("outcome").GetString().ShouldBe("succeeded");
        }
        // No probe object either: a fresh key of acme's own sees no objects.
        using var admin = fleet.Client("acme", fleet.AdminKey("acme"));
        var created = await admin.PostAsJsonAsync("/v1/admin/tenants/acme/keys", new { name = "e2e" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var acme = fleet.Client("acme", key);
        (await acme.GetFromJsonAsync<JsonElement>("/v1/objects")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_release_that_serves_without_TENANT_ID_is_caught_by_the_probe_and_the_ring_rolls_back()
    {
        await using var fleet = await TestFleet.StartAsync();
        (await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);
        foreach (var tenant in TestFleet.Tenants) await CreateTenantAsync(fleet, tenant);

        var deploy = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.NoTenantId);
        output.WriteLine(deploy.ToString());

        deploy.ExitCode.ShouldBe(1, deploy.ToString());
        deploy.Output.ShouldMatch(@"acme@host-a: acme\s+/health names the tenant\s+acme\s+\(none\)\s+FAIL");
        deploy.Output.ShouldContain("deploy of 2.0.0 to production failed; the failed ring is back on the versions it ran before: " +
            "acme@host-a: check acme's isolation: isolation probe FAILED: 1 of 10 checks failed: acme /health names the tenant: expected acme, got (none)");
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
        (await fleet.HealthAsync("acme")).GetProperty("tenant").GetString().ShouldBe("acme");
        LastRecord(fleet, "acme").GetProperty("outcome").GetString().ShouldBe("rolled-back");
        fleet.DeploysAndRollbacks("globex").Count.ShouldBe(1); // ring 2 never started
        (await KeysAsync(fleet, "acme")).ShouldAllBe(k => !k.EndsWith("\tactive")); // the failed probe cleaned up too
    }
}
