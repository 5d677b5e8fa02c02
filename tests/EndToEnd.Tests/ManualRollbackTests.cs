using System.Net.Http.Json;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>`storagectl rollback`, `status` and `history` against real hosts: back to a kept release, and the record of it.</summary>
[Collection(DeployCollection.Name)]
public sealed class ManualRollbackTests(Artifacts artifacts)
{
    [Fact]
    public async Task A_rollback_goes_back_to_the_kept_release_keeps_the_data_and_shows_in_status_and_history()
    {
        await using var fleet = await TestFleet.StartAsync();
        (await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);
        (await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2)).ExitCode.ShouldBe(0);
        using var admin = fleet.Client("acme", fleet.AdminKey("acme"));
        (await admin.PostAsJsonAsync("/v1/admin/tenants", new { id = "acme", name = "Acme" })).EnsureSuccessStatusCode();

        var status = await fleet.StorageCtlAsync("status", "production");
        status.ExitCode.ShouldBe(0, status.ToString());
        status.Output.ShouldMatch(@"acme\s+host-a\s+2\.0\.0\s+[0-9a-f]{12}\s+ready\s+green\s+free\s+\S+ \S+ deploy 2\.0\.0 succeeded by e2e-test");
        status.Output.ShouldMatch(@"initech\s+host-b\s+1\.0\.0\s+[0-9a-f]{12}\s+ready\s+blue");

        var unknown = await fleet.StorageCtlAsync("rollback", "production", "--tenant", "acme", "--to", "0.9.0");
        unknown.ExitCode.ShouldBe(1);
        unknown.Errors.ShouldContain("release 0.9.0 is not kept here (kept: 2.0.0, 1.0.0)");

        var rollback = await fleet.StorageCtlAsync("rollback", "production", "--tenant", "acme");

        rollback.ExitCode.ShouldBe(0, rollback.ToString());
        rollback.Output.ShouldContain("acme@host-a 2.0.0 -> 1.0.0");
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
        (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants")).ToString().ShouldContain("\"acme\"");
        Path.GetFileName(new DirectoryInfo(Path.Combine(fleet.TenantFolder("acme"), "current")).LinkTarget).ShouldBe("1.0.0");

        var history = await fleet.StorageCtlAsync("history", "production", "--tenant", "acme");
        history.ExitCode.ShouldBe(0, history.ToString());
        var lines = history.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("FINISHED (UTC)");
        lines[1].ShouldMatch(@"acme\s+host-a\s+rollback\s+2\.0\.0 -> 1\.0\.0\s+succeeded\s+e2e-test");
        lines[2].ShouldMatch(@"acme\s+host-a\s+deploy\s+1\.0\.0 -> 2\.0\.0\s+succeeded");
        lines[3].ShouldMatch(@"acme\s+host-a\s+deploy\s+- -> 1\.0\.0\s+succeeded");

        var forward = await fleet.StorageCtlAsync("rollback", "production", "--tenant", "acme", "--to", "2.0.0");
        forward.ExitCode.ShouldBe(0, forward.ToString());
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("2.0.0");
    }

    [Fact]
    public async Task Status_names_a_host_that_is_down_and_exits_1()
    {
        await using var fleet = await TestFleet.StartAsync();
        (await fleet.StorageCtlAsync("deploy", "production", "--tenant", "initech", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);
        await fleet.HostB.StopSshdAsync();

        var status = await fleet.StorageCtlAsync("status", "production");

        status.ExitCode.ShouldBe(1);
        status.Output.ShouldMatch(@"initech\s+host-b\s+\?\s+unreachable: ssh connection refused\n");
        status.Output.ShouldContain("initech@host-b: host-b: cannot read ");
        status.Output.ShouldMatch(@"acme\s+host-a\s+-\s+-\s+not deployed");
    }
}
