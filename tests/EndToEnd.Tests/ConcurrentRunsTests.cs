using System.Diagnostics;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>
/// Two storagectl processes of one user on one machine: each owns its ssh connections, so neither cuts the other's;
/// the tenant lock lets exactly one deploy through and the other is refused by name, with nothing changed or undone.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class ConcurrentRunsTests(Artifacts artifacts)
{
    [Fact]
    public async Task Two_deploys_of_one_tenant_started_together_one_succeeds_and_the_other_is_refused_naming_the_owner()
    {
        await using var fleet = await TestFleet.StartAsync();
        (await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);

        var results = await Task.WhenAll(
            fleet.StorageCtlAsAsync("ana", "deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2),
            fleet.StorageCtlAsAsync("bob", "deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2));

        results.Count(r => r.ExitCode == 0).ShouldBe(1, string.Join("\n---\n", results.Select(r => r.ToString())));
        var (winner, loser) = results[0].ExitCode == 0 ? ("ana", results[1]) : ("bob", results[0]);
        loser.ExitCode.ShouldBe(1);
        (loser.Output + loser.Errors).ShouldContain($"locked by {winner} since ");
        (loser.Output + loser.Errors).ShouldContain("`storagectl lock release production --tenant acme`");
        (loser.Output + loser.Errors).ShouldNotContain("token");
        (loser.Output + loser.Errors).ShouldNotContain("exit code 255");
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("2.0.0");
        var history = File.ReadAllLines(Path.Combine(fleet.TenantFolder("acme"), "deploys.jsonl"));
        history.Count(l => l.Contains("\"version\":\"2.0.0\"") && l.Contains("\"outcome\":\"succeeded\"")).ShouldBe(1);
        history.ShouldNotContain(l => l.Contains("\"outcome\":\"rolled-back\""));
        Directory.Exists(Path.Combine(fleet.TenantFolder("acme"), "deploy.lock")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_status_loop_during_a_deploy_does_not_disturb_it()
    {
        await using var fleet = await TestFleet.StartAsync();
        (await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);

        var deploy = fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2);
        var statuses = 0;
        var clock = Stopwatch.StartNew();
        while (!deploy.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            var status = await fleet.StorageCtlAsync("status", "production", "--tenant", "acme");
            status.Output.ShouldContain("acme", customMessage: status.ToString());
            statuses++;
        }
        var result = await deploy;

        result.ExitCode.ShouldBe(0, result.ToString());
        statuses.ShouldBeGreaterThanOrEqualTo(2);
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("2.0.0");
    }
}
