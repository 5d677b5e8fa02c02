using Storagectl.Configuration;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Planning;

/// <summary>Plans are data: the steps, their order, their undo and what blocks a deploy, checked without any host.</summary>
public sealed class DeployPlannerTests
{
    private static readonly Artifact V2 = new("storage-api", "2.0.0", "abc1234", DateTimeOffset.UnixEpoch, "/tmp/storage-api-2.0.0.tar.gz", new string('e', 64));
    private static readonly SecretSource Secrets = new(new Dictionary<string, string> { ["ACME_ADMIN"] = "admin-secret-value", ["ACME_SIGNING"] = "signing-secret-value" }, new Dictionary<string, string>());

    private static DeployPlan Plan(Dictionary<(string, string), HostState>? states = null, string? only = null, SecretSource? secrets = null) =>
        DeployPlanner.Plan(new DeployRequest(new PlanContext(Config, Config.Environment("production"), states ?? [], "ana", Now, "token-1", only), V2, secrets ?? Secrets));

    [Fact]
    public void A_first_deploy_starts_the_blue_slot_without_backup_and_switches_nginx_to_it()
    {
        var acme = Plan().Targets.First(t => t.Tenant.Name == "acme");

        acme.FromVersion.ShouldBeNull();
        acme.Blocker.ShouldBeNull();
        acme.Prepare.Select(s => s.Title).ShouldBe([
            "check that the nginx site proxies to the active socket", "take the tenant lock", "create the folders", "upload the artifact", "unpack into releases/2.0.0", "write shared/.env (0600)",
            "check the configuration with the new binary", "apply database migrations", "start 2.0.0 in the blue slot on port 8201",
            "wait until 2.0.0 is ready on port 8201"]);
        acme.Switch.Select(s => s.Title).ShouldBe(["switch nginx to the blue slot", "point current at releases/2.0.0"]);
        acme.Finish.Select(s => s.Title).ShouldBe(["watch 2.0.0 for 10s"]);
        acme.Prepare.OfType<UploadStep>().Single().Sha256.ShouldBe(V2.Sha256);
    }

    [Fact]
    public void An_update_starts_the_idle_slot_backs_up_and_can_restore_and_switch_back()
    {
        var states = new Dictionary<(string, string), HostState> { [("acme", "web-1")] = Running("1.0.0", Slot.Green) };

        var acme = Plan(states).Targets.First(t => t.Tenant.Name == "acme");

        acme.FromVersion.ShouldBe("1.0.0");
        var titles = acme.AllSteps.Select(s => s.Title).ToList();
        titles.IndexOf("back up the database").ShouldBeLessThan(titles.IndexOf("apply database migrations"));
        titles.ShouldContain("start 2.0.0 in the blue slot on port 8201");
        titles.ShouldContain("drain and stop the green slot");
        var migrate = acme.Prepare.Single(s => s.Title == "apply database migrations");
        migrate.Undo!.ShouldContain("restore /srv/storage/acme/shared/backups/20261125T100000Z-before-2.0.0.db");
        var switching = acme.Switch.Single(s => s.Title == "switch nginx to the blue slot");
        ((RunStep)switching).Script.ShouldContain("ln -sfn blue.sock /srv/storage/acme/run/active.sock.next");
        switching.Undo!.ShouldContain("ln -sfn green.sock /srv/storage/acme/run/active.sock.next");
        acme.Switch.Single(s => s.Title == "point current at releases/2.0.0").Undo!.ShouldContain("releases/1.0.0");
    }

    [Fact]
    public void Without_nginx_the_old_version_stops_before_migrations_and_the_new_one_starts_on_the_same_port()
    {
        var states = new Dictionary<(string, string), HostState> { [("solo", "plain")] = Running("1.0.0", Slot.Blue) };

        var solo = Plan(states).Targets.Single(t => t.Tenant.Name == "solo");

        solo.Host.Strategy.ShouldBe(DeployStrategy.Restart);
        solo.Switch.Select(s => s.Title).ShouldBe([
            "stop the running version", "apply database migrations", "start 2.0.0 in the blue slot on port 8400",
            "wait until 2.0.0 is ready on port 8400", "point current at releases/2.0.0"]);
        solo.Switch[0].Undo!.ShouldContain("curl");
        solo.Prepare.Select(s => s.Title).ShouldNotContain("apply database migrations");
    }

    [Fact]
    public void Rings_keep_their_order_and_a_tenant_can_be_deployed_alone()
    {
        Plan().Rings.Select(r => string.Join(",", r.Targets.Select(t => t.Name))).ShouldBe(["acme@web-1", "globex@web-1,solo@plain"]);
        Plan(only: "globex").Rings.ShouldHaveSingleItem().Targets.ShouldHaveSingleItem().Name.ShouldBe("globex@web-1");
        Should.Throw<ConfigException>(() => Plan(only: "nobody")).Message.ShouldContain("no tenant 'nobody'");
    }

    [Fact]
    public void A_fresh_lock_of_someone_else_blocks_and_a_stale_one_is_broken()
    {
        var fresh = new LockOwner("bob", Now.AddMinutes(-5), "1.9.0", "other");
        var stale = new LockOwner("bob", Now.AddHours(-2), "1.9.0", "other");

        var blocked = Plan(new() { [("acme", "web-1")] = HostState.Empty with { Lock = fresh } }).Targets.First();
        var broken = Plan(new() { [("acme", "web-1")] = HostState.Empty with { Lock = stale } }).Targets.First();

        blocked.Blocker!.ShouldContain("locked by bob");
        blocked.Blocker!.ShouldContain("1.9.0");
        broken.Blocker.ShouldBeNull();
        broken.Prepare[1].Title.ShouldStartWith("break the stale lock of bob");
        broken.Prepare[2].Title.ShouldBe("take the tenant lock");
    }

    [Fact]
    public void A_missing_secret_blocks_and_names_the_variable_to_set()
    {
        var secrets = new SecretSource(new Dictionary<string, string> { ["ACME_ADMIN"] = "x" }, new Dictionary<string, string>());

        var plan = Plan(secrets: secrets);

        plan.Blockers.ShouldBe(["acme@web-1: secrets not set on this machine: ACME_SIGNING"]);
    }

    [Fact]
    public void Env_changes_are_listed_and_secret_values_never_printed()
    {
        var hashes = new Dictionary<string, string>
        {
            ["ENVIRONMENT"] = HostState.HashValue("production"),
            ["TENANT_ID"] = HostState.HashValue("acme"),
            ["ADMIN_API_KEY"] = HostState.HashValue("an-older-admin-secret"),
            ["SIGNING_KEY"] = HostState.HashValue("signing-secret-value"),
            ["OLD_SETTING"] = HostState.HashValue("x"),
        };
        var plan = Plan(new() { [("acme", "web-1")] = Running("1.0.0", Slot.Blue) with { EnvHashes = hashes } });
        var acme = plan.Targets.First();

        acme.EnvChanges.ShouldContain(new EnvChange("ADMIN_API_KEY", EnvChangeKind.Changed, true));
        acme.EnvChanges.ShouldContain(new EnvChange("SIGNING_KEY", EnvChangeKind.Unchanged, true));
        acme.EnvChanges.ShouldContain(new EnvChange("STORAGE_DATA_DIR", EnvChangeKind.Added, false));
        acme.EnvChanges.ShouldContain(new EnvChange("OLD_SETTING", EnvChangeKind.Removed, false));
        var printed = plan.Print();
        printed.ShouldContain("env ADMIN_API_KEY: changed (secret)");
        printed.ShouldContain("1.0.0 -> 2.0.0");
        printed.ShouldNotContain("admin-secret-value");
        printed.ShouldNotContain("signing-secret-value");
    }

    [Fact]
    public void The_env_file_puts_data_under_shared_and_carries_the_secrets()
    {
        var acme = Plan().Targets.First();
        var write = acme.Prepare.OfType<RunStep>().Single(s => s.Title.StartsWith("write shared/.env"));

        write.Input!.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "ADMIN_API_KEY=admin-secret-value", "DATABASE_URL=sqlite:////srv/storage/acme/shared/data/storage.db", "ENVIRONMENT=production",
            "SIGNING_KEY=signing-secret-value", "STORAGE_DATA_DIR=/srv/storage/acme/shared/data", "TENANT_ID=acme"]);
        write.Script.ShouldNotContain("secret-value");
        write.Describe().ShouldNotContain("secret-value");
    }

    [Fact]
    public void Old_releases_beyond_the_kept_number_are_pruned_but_never_the_running_one()
    {
        var state = Running("1.0.0", Slot.Blue, "1.3.0", "1.2.0", "1.1.0", "1.0.0");

        var acme = Plan(new() { [("acme", "web-1")] = state }).Targets.First();

        var prune = acme.Finish.OfType<RunStep>().Single(s => s.Title == "keep the newest 3 releases");
        prune.Script.ShouldBe("rm -rf /srv/storage/acme/releases/1.1.0");
    }

    [Fact]
    public void The_plan_names_the_migrations_the_running_release_does_not_have()
    {
        var v2 = V2 with { Migrations = ["20260101_Init", "20260601_Tags"] };
        var known = Running("1.0.0", Slot.Blue) with { Manifests = new Dictionary<string, Artifact> { ["1.0.0"] = v2 with { Version = "1.0.0", Migrations = ["20260101_Init"] } } };
        PlanForAcme(v2, known).PendingMigrations.ShouldBe(["20260601_Tags"]);
        PlanForAcme(v2, HostState.Empty).PendingMigrations.ShouldBe(["20260101_Init", "20260601_Tags"]);
        PlanForAcme(v2, Running("1.0.0", Slot.Blue)).PendingMigrations.ShouldBeNull();

        var printed = DeployPlanner.Plan(new DeployRequest(new PlanContext(Config, Config.Environment("production"), new Dictionary<(string, string), HostState> { [("acme", "web-1")] = known }, "ana", Now, "t", "acme"), v2, Secrets)).Print();
        printed.ShouldContain("migrations: 1 pending: 20260601_Tags");
    }

    private static TargetPlan PlanForAcme(Artifact artifact, HostState state) =>
        DeployPlanner.Plan(new DeployRequest(new PlanContext(Config, Config.Environment("production"), new Dictionary<(string, string), HostState> { [("acme", "web-1")] = state }, "ana", Now, "t", "acme"), artifact, Secrets)).Targets.Single();

    [Fact]
    public void Unpacking_keeps_the_manifest_beside_the_release()
    {
        var unpack = Plan().Targets.First().Prepare.OfType<RunStep>().Single(s => s.Title == "unpack into releases/2.0.0");

        unpack.Input!.ShouldContain("\"sha256\": \"" + V2.Sha256 + "\"");
        unpack.Script.ShouldContain("release.json");
    }

    [Theory]
    [InlineData("/srv/storage", "/srv/storage")]
    [InlineData("it's here", "'it'\"'\"'s here'")]
    [InlineData("$(rm -rf /)", "'$(rm -rf /)'")]
    [InlineData("", "''")]
    public void Shell_quoting_keeps_values_literal(string value, string quoted)
    {
        Shell.Quote(value).ShouldBe(quoted);
    }
}
