using Storagectl.Configuration;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Planning;

/// <summary>The isolation probe as plans carry it: after the switch, before the bake, with every other tenant as an "other".</summary>
public sealed class IsolationProbePlanTests
{
    private static readonly Artifact V2 = new("storage-api", "2.0.0", "abc1234", DateTimeOffset.UnixEpoch, "/tmp/storage-api-2.0.0.tar.gz", new string('e', 64));
    private static readonly SecretSource Secrets = new(new Dictionary<string, string> { ["ACME_ADMIN"] = "admin-secret-value", ["ACME_SIGNING"] = "signing-secret-value" }, new Dictionary<string, string>());

    private static PlanContext Context(Dictionary<(string, string), HostState>? states = null, string? only = null) =>
        new(Config, Config.Environment("production"), states ?? [], "ana", Now, "0123456789abcdef", only);

    private static DeployPlan Deploy(Dictionary<(string, string), HostState>? states = null, string? only = null) =>
        DeployPlanner.Plan(new DeployRequest(Context(states, only), V2, Secrets));

    [Fact]
    public void Every_deploy_target_probes_after_its_switch_and_before_the_bake()
    {
        var states = new Dictionary<(string, string), HostState> { [("acme", "web-1")] = Running("1.0.0", Slot.Blue), [("solo", "plain")] = Running("1.0.0", Slot.Blue) };
        var plan = Deploy(states);

        foreach (var target in plan.Targets)
        {
            target.Finish[0].ShouldBeOfType<IsolationProbeStep>().Title.ShouldBe($"check {target.Tenant.Name}'s isolation");
            target.Prepare.Concat(target.Switch).OfType<IsolationProbeStep>().ShouldBeEmpty();
            target.Finish[1].ShouldBeOfType<BakeStep>();
            target.Finish[0].ReportsOutput.ShouldBeTrue();
        }

        var acme = (IsolationProbeStep)plan.Targets.Single(t => t.Tenant.Name == "acme").Finish[0];
        var subject = acme.Subjects.ShouldHaveSingleItem();
        (subject.Tenant, subject.Host.Name, subject.PublicPort, subject.HealthPort).ShouldBe(("acme", "web-1", 8200, 8202)); // green is the new slot
        subject.Binary.ShouldBe("/srv/storage/acme/releases/2.0.0/storage-api");
        acme.Others.Select(o => (o.Name, o.PublicPort, o.HealthPort, o.Binary)).ShouldBe([
            ("globex@web-1", 8300, (int?)null, "/srv/storage/globex/current/storage-api"),
            ("solo@plain", 8400, null, "/srv/plain/solo/current/storage-api")]);
        acme.KeyName.ShouldBe("isolation-probe-01234567-acme-web-1");
        acme.TimeoutSeconds.ShouldBe(Config.Health.TimeoutSeconds);

        // Without a proxy the new version answers on the tenant's own port.
        var solo = (IsolationProbeStep)plan.Targets.Single(t => t.Tenant.Name == "solo").Finish[0];
        solo.Subjects.Single().HealthPort.ShouldBe(8400);
    }

    [Fact]
    public void A_deploy_of_one_tenant_still_probes_against_every_other_tenant()
    {
        var globex = (IsolationProbeStep)Deploy(only: "globex").Targets.Single().Finish[0];

        globex.Subjects.Single().Name.ShouldBe("globex@web-1");
        globex.Others.Select(o => o.Name).ShouldBe(["acme@web-1", "solo@plain"]);
    }

    [Fact]
    public void A_rollback_probes_the_release_it_goes_back_to()
    {
        var state = Running("2.0.0", Slot.Green, "2.0.0", "1.0.0") with
        {
            History = [new DeployRecord(Now, Now, "production", "acme", "web-1", "2.0.0", null, "1.0.0", "ana", DeployRecord.Succeeded, null)],
        };
        var acme = RollbackPlanner.Plan(Context(new() { [("acme", "web-1")] = state }, "acme"), null).Targets.Single();

        acme.Blocker.ShouldBeNull();
        var probe = acme.Finish[0].ShouldBeOfType<IsolationProbeStep>();
        probe.Subjects.Single().Binary.ShouldBe("/srv/storage/acme/releases/1.0.0/storage-api");
        probe.Subjects.Single().HealthPort.ShouldBe(8201); // blue takes over from green
    }

    [Fact]
    public void The_printed_plan_says_what_the_probe_checks_and_that_it_cleans_up()
    {
        var printed = Deploy(only: "acme").Print();

        printed.ShouldContain("""
                  - check acme's isolation
                      with a probe key named isolation-probe-01234567-acme-web-1 and a probe object, through 127.0.0.1:8200 on web-1:
                        no key -> 401; the probe key on /v1/admin/tenants -> 403; revoked -> 401
                        http://127.0.0.1:8201/health names tenant acme
                        other tenants' probe keys here -> 401, their object ids with acme's key -> 404, acme's key on theirs -> 401: globex@web-1:8300, solo@plain:8400
                      probe keys and objects are removed afterwards, also when a check fails; 5s timeout per request
                  - watch 2.0.0 for 10s
            """.Replace("\r", ""));
    }

    [Fact]
    public void Storagectl_probe_asks_each_tenant_on_its_active_slot_and_the_rest_are_others()
    {
        var states = new Dictionary<(string, string), HostState> { [("acme", "web-1")] = Running("1.0.0", Slot.Green) };

        var all = IsolationProbePlan.ForEnvironment(Context(states));
        all.Subjects.Select(s => (s.Name, s.HealthPort, s.Binary)).ShouldBe([
            ("acme@web-1", (int?)8202, "/srv/storage/acme/current/storage-api"),
            ("globex@web-1", 8300, "/srv/storage/globex/current/storage-api"), // not deployed: no slot is active
            ("solo@plain", 8400, "/srv/plain/solo/current/storage-api")]);
        all.Others.ShouldBeEmpty();
        all.KeyName.ShouldBe("isolation-probe-01234567");

        var one = IsolationProbePlan.ForEnvironment(Context(states, "acme"));
        one.Subjects.Single().Name.ShouldBe("acme@web-1");
        one.Others.Select(o => o.Name).ShouldBe(["globex@web-1", "solo@plain"]);
    }

    [Fact]
    public void Every_instance_is_told_its_tenant_even_when_the_config_does_not_say_it()
    {
        var globex = Config.Environment("production").Tenants["globex"];
        globex.Env.ContainsKey("TENANT_ID").ShouldBeFalse();

        DeployPlanner.EnvFile(globex, new TenantPaths("/srv/storage", "globex"), new Dictionary<string, string>())["TENANT_ID"].ShouldBe("globex");
        Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(Yaml.Replace("TENANT_ID: acme", "TENANT_ID: globex"), "storagectl.yml"))
            .Message.ShouldContain("one tenant's instance must never serve another");
    }
}
