using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Planning;

/// <summary>Onboarding's last plan: under the lock, the tenant and a first key (captured, not logged), recorded as onboard.</summary>
public sealed class OnboardPlannerTests
{
    private static DeployPlan Plan(HostState state) =>
        OnboardPlanner.Plan(new PlanContext(Config, Config.Environment("production"), new Dictionary<(string, string), HostState> { [("acme", "web-1")] = state }, "ana", Now, "token-1", "acme"),
            Config.Environment("production").Tenants["acme"], Config.Hosts["web-1"], "1.0.0", "Acme GmbH");

    [Fact]
    public void The_tenant_and_its_first_key_are_made_with_the_running_release_and_only_the_key_is_captured()
    {
        var plan = Plan(Running("1.0.0", Slot.Blue));

        plan.Kind.ShouldBe(DeployPlan.Onboard);
        plan.ChangesVersions.ShouldBeFalse();
        var target = plan.Targets.ShouldHaveSingleItem();
        target.Blocker.ShouldBeNull();
        (target.FromVersion, target.ToVersion).ShouldBe(("1.0.0", "1.0.0"));
        target.Prepare.Select(s => s.Title).ShouldBe(["take the tenant lock", "create the tenant acme (Acme GmbH)", "create the first API key (first-key)", "check acme's isolation"]);
        target.Prepare[^1].ShouldBeOfType<IsolationProbeStep>().Subjects.ShouldHaveSingleItem().Tenant.ShouldBe("acme");
        target.Prepare.Single(s => s.CapturesOutput).Title.ShouldBe("create the first API key (first-key)");
        target.Prepare[1].Describe().ShouldContain("/srv/storage/acme/releases/1.0.0/storage-api tenants create acme --name 'Acme GmbH'");
        plan.Print().ShouldContain("onboard production as ana");
    }

    [Fact]
    public void A_target_that_does_not_run_the_release_is_blocked() =>
        Plan(HostState.Empty).Blockers.ShouldBe(["acme@web-1: acme@web-1 runs nothing, not 1.0.0"]);
}
