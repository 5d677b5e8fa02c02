using System.Net.Http.Json;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>Releases that fail roll back by themselves: traffic, current and the database return to the previous version.</summary>
[Collection(DeployCollection.Name)]
public sealed class RollbackTests(Artifacts artifacts)
{
    private static async Task<TestFleet> FleetOnVersionOneAsync(Artifacts artifacts)
    {
        var fleet = await TestFleet.StartAsync();
        var result = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1);
        result.ExitCode.ShouldBe(0, result.ToString());
        using var admin = fleet.Client("acme", fleet.AdminKey("acme"));
        (await admin.PostAsJsonAsync("/v1/admin/tenants", new { id = "acme", name = "Acme" })).EnsureSuccessStatusCode();
        return fleet;
    }

    private static async Task<string> TenantsAsync(TestFleet fleet, string tenant)
    {
        using var admin = fleet.Client(tenant, fleet.AdminKey(tenant));
        return await admin.GetStringAsync("/v1/admin/tenants");
    }

    private static string LastOutcome(TestFleet fleet, string tenant) =>
        JsonDocument.Parse(File.ReadAllLines(Path.Combine(fleet.TenantFolder(tenant), "deploys.jsonl"))[^1]).RootElement.GetProperty("outcome").GetString()!;

    [Fact]
    public async Task A_release_that_never_gets_ready_is_rolled_back_and_later_rings_are_not_touched()
    {
        await using var fleet = await FleetOnVersionOneAsync(artifacts);
        var tenantsBefore = await TenantsAsync(fleet, "acme");

        var result = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.NeverReady);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Output.ShouldContain("deploy of 3.0.0-never-ready to production failed; the failed ring is back on the versions it ran before: acme@host-a: wait until 3.0.0-never-ready is ready");
        foreach (var tenant in TestFleet.Tenants) (await fleet.HealthAsync(tenant)).GetProperty("version").GetString().ShouldBe("1.0.0");
        (await TenantsAsync(fleet, "acme")).ShouldBe(tenantsBefore);
        LastOutcome(fleet, "acme").ShouldBe("rolled-back");
        fleet.DeploysAndRollbacks("globex").Count.ShouldBe(1); // ring 2 never started
        Directory.Exists(Path.Combine(fleet.TenantFolder("acme"), "releases", "3.0.0-never-ready")).ShouldBeFalse();
        Path.GetFileName(new DirectoryInfo(Path.Combine(fleet.TenantFolder("acme"), "current")).LinkTarget).ShouldBe("1.0.0");
    }
}
