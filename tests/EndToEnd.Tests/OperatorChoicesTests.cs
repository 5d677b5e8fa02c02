using System.Diagnostics;
using EndToEnd.Tests.Infrastructure;
using Storagectl.Planning;

namespace EndToEnd.Tests;

/// <summary>
/// No silent choices: a rollback whose default target is gone refuses and lists what is kept, a downgrade needs to be
/// asked for, a run that died is recorded as abandoned, and status shows a stale lock and a slot left running.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class OperatorChoicesTests(Artifacts artifacts)
{
    private static async Task DeployAsync(TestFleet fleet, params string[] args)
    {
        var result = await fleet.StorageCtlAsync(["deploy", "production", "--tenant", "acme", .. args]);
        result.ExitCode.ShouldBe(0, result.ToString());
    }

    [Fact]
    public async Task A_rollback_whose_default_target_was_deleted_refuses_and_a_downgrade_must_be_asked_for()
    {
        await using var fleet = await TestFleet.StartAsync();
        await DeployAsync(fleet, "--artifact", artifacts.V1);
        await DeployAsync(fleet, "--artifact", artifacts.V2);
        (await fleet.StorageCtlAsync("rollback", "production", "--tenant", "acme")).ExitCode.ShouldBe(0);
        await DeployAsync(fleet, "--artifact", artifacts.Expanding); // 3.0.0-expanding replaces 1.0.0
        var releases = Path.Combine(fleet.TenantFolder("acme"), "releases");

        var planned = await fleet.StorageCtlAsync("rollback", "production", "--tenant", "acme", "--dry-run");
        planned.Output.ShouldContain("acme@host-a (blue-green): 3.0.0-expanding -> 1.0.0");
        planned.Output.ShouldContain("why: the release 3.0.0-expanding replaced on ");

        Directory.Delete(Path.Combine(releases, "1.0.0"), recursive: true);
        foreach (var args in new[] { new[] { "--dry-run" }, [] })
        {
            var refused = await fleet.StorageCtlAsync(["rollback", "production", "--tenant", "acme", .. args]);
            refused.ExitCode.ShouldBe(1, refused.ToString());
            refused.Errors.ShouldContain("no release to go back to: 1.0.0, the release 3.0.0-expanding replaced, is no longer kept (kept here: 3.0.0-expanding, 2.0.0; choose one with --to)");
            refused.Output.ShouldNotContain("-> 2.0.0");
        }
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("3.0.0-expanding");

        var chosen = await fleet.StorageCtlAsync("rollback", "production", "--tenant", "acme", "--to", "2.0.0");
        chosen.ExitCode.ShouldBe(0, chosen.ToString());
        chosen.Output.ShouldContain("rollback acme@host-a: 3.0.0-expanding -> 2.0.0 (asked for with --to)");

        var downgrade = await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1);
        downgrade.ExitCode.ShouldBe(1, downgrade.ToString());
        downgrade.Errors.ShouldContain("1.0.0 is older than 2.0.0, which runs here: a downgrade needs --allow-downgrade");
        var plan = await fleet.StorageCtlAsync("plan", "production", "--tenant", "acme", "--artifact", artifacts.V1, "--allow-downgrade");
        plan.ExitCode.ShouldBe(0, plan.ToString());
        plan.Output.ShouldContain("why: a downgrade from 2.0.0, allowed by --allow-downgrade");
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("2.0.0");
    }

    [Fact]
    public async Task A_killed_deploy_is_named_dead_and_recorded_as_abandoned_and_status_shows_dead_locks_and_slots_left_running()
    {
        await using var fleet = await TestFleet.StartAsync();
        await DeployAsync(fleet, "--artifact", artifacts.V1);
        var acme = fleet.TenantFolder("acme");

        // storagectl is killed (SIGKILL) while it holds the lock, as when a runner dies.
        using (var killed = fleet.StartStorageCtl("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2))
        {
            var clock = Stopwatch.StartNew();
            while (!Directory.Exists(Path.Combine(acme, "deploy.lock")) && clock.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(50);
            killed.Kill(entireProcessTree: true);
            await killed.WaitForExitAsync();
        }
        var held = await fleet.StorageCtlAsync("lock", "status", "production", "--tenant", "acme");
        held.Output.ShouldMatch(@"acme@host-a\tlocked by killed-run since .* \(dead: its storagectl process \d+ on this machine is gone\)");

        // The next deploy from this machine is refused, but says that the holder is gone and how to record it.
        var refused = await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2);
        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Errors.ShouldMatch(@"locked by killed-run since .* deploying 2\.0\.0; its storagectl process \d+ on this machine is gone: once its steps on the host are done, `storagectl lock release production --tenant acme` records it as abandoned");

        var released = await fleet.StorageCtlAsync("lock", "release", "production", "--tenant", "acme");
        released.ExitCode.ShouldBe(0, released.ToString());
        released.Output.ShouldContain("acme@host-a: lock of killed-run");
        released.Errors.ShouldNotContain("may still be working"); // it is known to be dead
        var next = await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2);

        next.ExitCode.ShouldBe(0, next.ToString());
        var history = File.ReadAllLines(Path.Combine(acme, "deploys.jsonl")).Select(l => DeployRecord.FromJson(l)!).ToList();
        history[^2].Outcome.ShouldBe(DeployRecord.Abandoned);
        history[^2].Who.ShouldBe("killed-run");
        history[^2].Version.ShouldBe("2.0.0");
        history[^2].Error!.ShouldContain("its lock was released by e2e-test");
        history[^1].Outcome.ShouldBe(DeployRecord.Succeeded);

        // A lock from three hours ago is dead too: status says so, and never shows the lock's token.
        Directory.CreateDirectory(Path.Combine(acme, "deploy.lock"));
        await File.WriteAllTextAsync(Path.Combine(acme, "deploy.lock", "owner.json"),
            new LockOwner("bob@laptop", DateTimeOffset.UtcNow.AddHours(-3), "9.9.9", "bobs-token").ToJson());
        // A process left running in the idle slot outside a rollback window (here: a stand-in with the slot's pid file) is shown too.
        // The window's own blue process is ended first, as the window's end would: a pid file overwritten under a running
        // slot would leave that process holding the slot's port and socket.
        var warm = Process.GetProcessById(int.Parse(await File.ReadAllTextAsync(Path.Combine(acme, "run", "blue.pid"))));
        warm.Kill(entireProcessTree: true);
        await warm.WaitForExitAsync();
        File.Delete(Path.Combine(acme, "warm"));
        using var leftover = Process.Start("sleep", "120")!;
        await File.WriteAllTextAsync(Path.Combine(acme, "run", "blue.pid"), leftover.Id.ToString());

        var status = await fleet.StorageCtlAsync("status", "production", "--tenant", "acme");

        status.Output.ShouldMatch(@"acme\s+host-a\s+2\.0\.0\s+[0-9a-f]{12}\s+ready\s+green \(blue also running\)\s+bob@laptop since \S+ \S+ \(dead: stale after 10 minutes\)");
        status.Output.ShouldNotContain("bobs-token");
        leftover.Kill();

        // The next deploy breaks the stale lock (it still names bob's run) and records that run.
        await DeployAsync(fleet, "--artifact", artifacts.V1, "--allow-downgrade");
        var last = File.ReadAllLines(Path.Combine(acme, "deploys.jsonl")).Select(l => DeployRecord.FromJson(l)!).ToList();
        last[^2].Outcome.ShouldBe(DeployRecord.Abandoned);
        last[^2].Who.ShouldBe("bob@laptop");
        last[^2].Error!.ShouldContain("its stale lock was broken by e2e-test");
        last[^1].Outcome.ShouldBe(DeployRecord.Succeeded);
    }
}
