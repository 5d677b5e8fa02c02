using Storagectl.Configuration;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Planning;

/// <summary>Rollbacks reuse the slot switch and health gate of a deploy, with nothing uploaded, written or migrated.</summary>
public sealed class RollbackPlannerTests
{
    private static DeployPlan Rollback(HostState acme, string? to = null, DeployConfig? config = null) =>
        RollbackPlanner.Plan(new PlanContext(config ?? Config, (config ?? Config).Environment("production"), new Dictionary<(string, string), HostState> { [("acme", "web-1")] = acme }, "ana", Now, "token-1", "acme"), to);

    private static DeployRecord Deployed(string version, string? previous) =>
        new(Now.AddDays(-1), Now.AddDays(-1), "production", "acme", "web-1", version, "abc", previous, "ana", DeployRecord.Succeeded, null);

    [Fact]
    public void By_default_it_goes_back_to_the_release_the_current_one_replaced()
    {
        // 1.2.0 was unpacked last but failed and was rolled back; 1.1.0 replaced 1.0.0, then was deployed again over itself.
        var state = Running("1.1.0", Slot.Green, "1.2.0", "1.1.0", "1.0.0") with
        {
            History = [Deployed("1.1.0", "1.0.0"), Deployed("1.2.0", "1.1.0") with { Outcome = DeployRecord.RolledBack }, Deployed("1.1.0", "1.1.0")],
        };

        var acme = Rollback(state).Targets.Single();

        acme.Blocker.ShouldBeNull();
        acme.FromVersion.ShouldBe("1.1.0");
        acme.ToVersion.ShouldBe("1.0.0");
        acme.Prepare.Select(s => s.Title).ShouldBe([
            "check that the nginx site proxies to the active socket", "take the tenant lock", "check the configuration with 1.0.0", "start 1.0.0 in the blue slot on port 8201", "wait until 1.0.0 is ready on port 8201"]);
        acme.Switch.Select(s => s.Title).ShouldBe(["switch nginx to the blue slot", "point current at releases/1.0.0", "keep the green slot (1.1.0) running for rollbacks for 600s"]);
        acme.AllSteps().ShouldNotContain(s => s is UploadStep || s.Title.Contains("migrat") || s.Title.Contains(".env") || s.Title.Contains("back up"));
    }

    [Fact]
    public void Inside_the_rollback_window_it_checks_the_warm_slot_and_switches_back_to_it_starting_nothing()
    {
        var state = Running("1.1.0", Slot.Green, "1.1.0", "1.0.0") with
        {
            History = [Deployed("1.1.0", "1.0.0")],
            RunningSlots = [Slot.Blue, Slot.Green],
            Warm = new WarmSlot(Slot.Blue, "1.0.0", Now.AddMinutes(5)),
        };

        var acme = Rollback(state).Targets.Single();

        acme.Blocker.ShouldBeNull();
        acme.Why.ShouldBe("the release 1.1.0 replaced on 2026-11-24 10:00:00Z; still running in the warm blue slot until 2026-11-25 10:05:00Z");
        acme.Prepare.Select(s => s.Title).ShouldBe([
            "check that the nginx site proxies to the active socket", "take the tenant lock", "check that 1.0.0 still answers in the warm blue slot on port 8201"]);
        var check = ((RunStep)acme.Prepare[^1]).Script;
        check.ShouldContain("curl -fsS -m 1 http://127.0.0.1:8201/health");
        check.ShouldContain("grep -qF '\"version\":\"1.0.0\"'");
        check.ShouldContain("rm -f /srv/storage/acme/warm;");
        acme.Switch.Select(s => s.Title).ShouldBe(["switch nginx to the blue slot and point current at releases/1.0.0", "keep the green slot (1.1.0) running for rollbacks for 600s"]);
        acme.Switch[0].Undo!.ShouldContain("ln -sfn green.sock /srv/storage/acme/run/active.sock.next");
        acme.Switch[0].Undo!.ShouldContain("releases/1.1.0");
        acme.Finish.Select(s => s.Title).ShouldBe(["check acme's isolation", "watch 1.0.0 for 10s"]);
        ((BakeStep)acme.Finish[^1]).MetricsPort.ShouldBe(8201);
    }

    [Fact]
    public void A_window_that_ended_a_stopped_warm_slot_or_another_release_means_starting_the_release_afresh()
    {
        var inside = Running("1.1.0", Slot.Green, "1.1.0", "1.0.0") with
        {
            History = [Deployed("1.1.0", "1.0.0")],
            RunningSlots = [Slot.Blue, Slot.Green],
            Warm = new WarmSlot(Slot.Blue, "1.0.0", Now.AddMinutes(5)),
        };
        string[] cold = ["check that the nginx site proxies to the active socket", "take the tenant lock", "check the configuration with 1.0.0",
            "start 1.0.0 in the blue slot on port 8201", "wait until 1.0.0 is ready on port 8201"];

        Rollback(inside with { Warm = inside.Warm! with { Until = Now } }).Targets.Single().Prepare.Select(s => s.Title).ShouldBe(cold);
        Rollback(inside with { RunningSlots = [Slot.Green] }).Targets.Single().Prepare.Select(s => s.Title).ShouldBe(cold);
        Rollback(inside with { Warm = inside.Warm! with { Version = "0.9.0" } }).Targets.Single().Prepare.Select(s => s.Title).ShouldBe(cold);
    }

    [Fact]
    public void Without_a_rollback_window_the_slot_left_is_drained_and_stopped()
    {
        var state = Running("1.1.0", Slot.Green, "1.1.0", "1.0.0") with { History = [Deployed("1.1.0", "1.0.0")] };

        var acme = Rollback(state, config: Config with { RollbackWindowSeconds = 0 }).Targets.Single();

        acme.Switch.Select(s => s.Title).ShouldBe(["switch nginx to the blue slot", "point current at releases/1.0.0", "drain and stop the green slot"]);
        acme.Switch[^1].Undo!.ShouldContain("curl");
    }

    [Fact]
    public void Without_history_it_picks_nothing_and_lists_what_is_kept()
    {
        var acme = Rollback(Running("1.1.0", Slot.Blue, "1.1.0", "1.0.3", "1.0.0")).Targets.Single();

        acme.Blocker.ShouldBe("no release to go back to: the history does not say which release 1.1.0 replaced (kept here: 1.1.0, 1.0.3, 1.0.0; choose one with --to)");
    }

    [Fact]
    public void When_the_release_the_current_one_replaced_is_gone_it_refuses_instead_of_taking_another()
    {
        // 2.0.0 replaced 1.0.0, was rolled back from, then 3.0.0 replaced 1.0.0; releases/1.0.0 was deleted by hand.
        var state = Running("3.0.0", Slot.Blue, "3.0.0", "2.0.0") with { History = [Deployed("2.0.0", "1.0.0"), Deployed("3.0.0", "1.0.0")] };

        var acme = Rollback(state).Targets.Single();

        acme.Blocker.ShouldBe("no release to go back to: 1.0.0, the release 3.0.0 replaced, is no longer kept (kept here: 3.0.0, 2.0.0; choose one with --to)");
        Rollback(state, to: "2.0.0").Targets.Single().Change.ShouldBe("acme@web-1: 3.0.0 -> 2.0.0 (asked for with --to)");
    }

    [Fact]
    public void A_second_rollback_goes_further_back_not_forward_again()
    {
        // 1.0.0 -> 2.0.0 -> 3.0.0, then a rollback to 2.0.0: the next rollback goes to what 2.0.0 replaced.
        var state = Running("2.0.0", Slot.Green, "3.0.0", "2.0.0", "1.0.0") with
        {
            History = [Deployed("2.0.0", "1.0.0"), Deployed("3.0.0", "2.0.0"), Deployed("2.0.0", "3.0.0") with { Kind = DeployPlan.Rollback }],
        };

        var acme = Rollback(state).Targets.Single();

        acme.ToVersion.ShouldBe("1.0.0");
        acme.Why!.ShouldStartWith("the release 2.0.0 replaced on ");
        Rollback(state).Print().ShouldContain("    why: the release 2.0.0 replaced on ");
    }

    [Fact]
    public void A_named_release_must_be_kept_on_the_host_and_not_be_the_running_one()
    {
        var state = Running("1.1.0", Slot.Blue, "1.1.0", "1.0.0");

        Rollback(state, to: "1.0.0").Blockers.ShouldBeEmpty();
        Rollback(state, to: "0.9.0").Blockers.ShouldBe(["acme@web-1: release 0.9.0 is not kept here (kept: 1.1.0, 1.0.0)"]);
        Rollback(state, to: "1.1.0").Blockers.ShouldBe(["acme@web-1: 1.1.0 is already running"]);
        Rollback(HostState.Empty).Blockers.ShouldBe(["acme@web-1: nothing is deployed here"]);
    }

    [Fact]
    public void A_fresh_lock_of_a_running_deploy_blocks_a_rollback_too()
    {
        var state = Running("1.1.0", Slot.Blue, "1.1.0", "1.0.0") with { Lock = new LockOwner("bob", Now.AddMinutes(-1), "1.2.0", "other") };

        Rollback(state, to: "1.0.0").Blockers.Single().ShouldBe(
            "acme@web-1: locked by bob since 2026-11-25 09:59:00Z deploying 1.2.0; wait, or `storagectl lock release production --tenant acme` if that run is dead");
    }

    [Fact]
    public void The_record_carries_the_commit_of_the_release_it_goes_back_to_and_the_print_says_rollback()
    {
        var manifest = new Artifact("storage-api", "1.0.0", "c0ffee", Now, "storage-api-1.0.0.tar.gz", new string('a', 64));
        var state = Running("1.1.0", Slot.Blue, "1.1.0", "1.0.0") with { Manifests = new Dictionary<string, Artifact> { ["1.0.0"] = manifest } };

        var plan = Rollback(state, to: "1.0.0");

        plan.Kind.ShouldBe(DeployPlan.Rollback);
        plan.Targets.Single().Commit.ShouldBe("c0ffee");
        plan.Print().ShouldStartWith("roll back production as ana");
        plan.Print().ShouldContain("acme@web-1 (blue-green): 1.1.0 -> 1.0.0");
    }
}
