using System.Net.Http.Json;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>
/// A failed deploy never takes back a write the running version accepted: clients read and upload through nginx during deploys
/// whose real migration succeeds but whose health gate fails, and whose real migration fails half-way; afterwards
/// every upload answered 201 is there with its sha256, and the database shows what the migration left.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class AcceptedWritesTests(Artifacts artifacts)
{
    private static async Task<(TestFleet Fleet, string Key)> AcmeOnVersionOneAsync(Artifacts artifacts)
    {
        var fleet = await TestFleet.StartAsync();
        var deployed = await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1);
        deployed.ExitCode.ShouldBe(0, deployed.ToString());
        using var admin = fleet.Client("acme", fleet.AdminKey("acme"));
        (await admin.PostAsJsonAsync("/v1/admin/tenants", new { id = "acme", name = "Acme" })).EnsureSuccessStatusCode();
        var key = await admin.PostAsJsonAsync("/v1/admin/tenants/acme/keys", new { name = "uploads" });
        key.EnsureSuccessStatusCode();
        return (fleet, (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
    }

    /// <summary>Deploys <paramref name="artifact"/> to acme under two client loops through nginx, and a second more after it ended.</summary>
    private static async Task<(ProcessResult Deploy, TrafficLoad Load)> DeployUnderTrafficAsync(TestFleet fleet, string key, string artifact)
    {
        using var acme = fleet.Client("acme", key);
        var seeded = await (await acme.PostAsync("/v1/objects", new MultipartFormDataContent { { new ByteArrayContent("seed"u8.ToArray()), "file", "seed.txt" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var load = new TrafficLoad(fleet, "acme", key, seeded.GetProperty("id").GetString()!, loops: 2);
        var deploy = await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifact);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await load.DisposeAsync();
        return (deploy, load);
    }

    private static Task<string> SqlAsync(TestFleet fleet, string sql) =>
        TestProcess.RequireAsync("sqlite3", Path.Combine(fleet.TenantFolder("acme"), "shared", "data", "storage.db"), sql);

    [Fact]
    public async Task A_deploy_whose_migration_succeeds_but_whose_gate_fails_keeps_every_accepted_upload_and_the_expanded_schema()
    {
        var (fleet, key) = await AcmeOnVersionOneAsync(artifacts);
        await using var _ = fleet;

        var (deploy, load) = await DeployUnderTrafficAsync(fleet, key, artifacts.ExpandingNeverReady);

        deploy.ExitCode.ShouldBe(1, deploy.ToString());
        deploy.Output.ShouldContain("not ready with version 3.0.0-expanding-never-ready");
        deploy.Output.ShouldContain("kept after \"apply database migrations\": the database keeps every migration that completed");
        load.Failures.ShouldBeEmpty();
        load.Uploaded.Count.ShouldBeGreaterThan(20);
        (await load.MissingAsync()).ShouldBeEmpty();
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
        // The additive migration stays: 1.0.0 serves on the expanded schema, and nothing was restored over it.
        (await SqlAsync(fleet, "SELECT MigrationId FROM __EFMigrationsHistory")).ShouldContain(Artifacts.ExpandingMigration);
        (await SqlAsync(fleet, "SELECT name FROM pragma_table_info('Objects')")).ShouldContain("DeployNote");
        (await SqlAsync(fleet, "SELECT count(*) FROM Objects")).Trim().ShouldBe((load.Uploaded.Count + 1).ToString()); // and the seed
        File.ReadAllLines(Path.Combine(fleet.TenantFolder("acme"), "deploys.jsonl"))[^1].ShouldContain("\"outcome\":\"rolled-back\"");
    }

    [Fact]
    public async Task A_deploy_whose_migration_fails_half_way_keeps_every_accepted_upload_and_leaves_nothing_of_the_migration()
    {
        var (fleet, key) = await AcmeOnVersionOneAsync(artifacts);
        await using var _ = fleet;

        var (deploy, load) = await DeployUnderTrafficAsync(fleet, key, artifacts.BrokenMigration);

        deploy.ExitCode.ShouldBe(1, deploy.ToString());
        deploy.Output.ShouldContain("apply database migrations");
        deploy.Output.ShouldContain("no such table: NoSuchTable");
        load.Failures.ShouldBeEmpty();
        load.Uploaded.Count.ShouldBeGreaterThan(20);
        (await load.MissingAsync()).ShouldBeEmpty();
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
        // The migration ran in one transaction: its table and column are gone with it, and it is not recorded as applied.
        (await SqlAsync(fleet, "SELECT MigrationId FROM __EFMigrationsHistory")).ShouldNotContain(Artifacts.BrokenMigrationId);
        (await SqlAsync(fleet, ".tables")).ShouldNotContain("HalfApplied");
        (await SqlAsync(fleet, "SELECT name FROM pragma_table_info('Objects')")).ShouldNotContain("HalfNote");
        (await SqlAsync(fleet, "SELECT count(*) FROM Objects")).Trim().ShouldBe((load.Uploaded.Count + 1).ToString()); // and the seed
    }
}
