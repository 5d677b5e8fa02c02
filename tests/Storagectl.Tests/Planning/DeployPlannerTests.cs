using Storagectl.Configuration;
using Storagectl.HostCommands;
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
            "check that the nginx site proxies to the active socket", "take the tenant lock", "create the folders", "check the free disk for 2.0.0",
            "upload the artifact", "unpack into releases/2.0.0", "write shared/.env (0600)",
            "check the configuration with the new binary", "apply database migrations", "start 2.0.0 in the blue slot on port 8201",
            "wait until 2.0.0 is ready on port 8201"]);
        acme.Switch.Select(s => s.Title).ShouldBe(["switch nginx to the blue slot", "point current at releases/2.0.0"]);
        acme.Finish.Select(s => s.Title).ShouldBe(["check acme's isolation", "watch 2.0.0 for 10s"]);
        acme.Prepare.OfType<UploadStep>().Single().Sha256.ShouldBe(V2.Sha256);
    }

    [Fact]
    public void An_update_starts_the_idle_slot_backs_up_and_can_switch_back_but_never_restores_over_live_data()
    {
        var states = new Dictionary<(string, string), HostState> { [("acme", "web-1")] = Running("1.0.0", Slot.Green) };

        var acme = Plan(states).Targets.First(t => t.Tenant.Name == "acme");

        acme.FromVersion.ShouldBe("1.0.0");
        var titles = acme.AllSteps().Select(s => s.Title).ToList();
        titles.IndexOf("back up the database").ShouldBeLessThan(titles.IndexOf("apply database migrations"));
        titles.ShouldContain("start 2.0.0 in the blue slot on port 8201");
        titles.ShouldContain("keep the green slot (1.0.0) running for rollbacks for 600s");
        acme.Switch.Single(s => s.Title.StartsWith("keep the green slot")).Undo.ShouldBe("rm -f /srv/storage/acme/warm");
        ((RunStep)acme.Prepare.Single(s => s.Title == "start 2.0.0 in the blue slot on port 8201")).Script.ShouldContain("rm -f /srv/storage/acme/warm\n");
        var migrate = acme.Prepare.Single(s => s.Title == "apply database migrations");
        migrate.Undo.ShouldBeNull();
        migrate.KeptOnUndo.ShouldBe("the database keeps every migration that completed: migrations only expand the schema, so 1.0.0 runs on it, "
            + "and nothing written meanwhile is lost; the copy from before the deploy is /srv/storage/acme/shared/backups/20261125T100000Z-before-2.0.0.db");
        acme.AllSteps().ShouldNotContain(step => (step.Undo ?? "").Contains("restore"));
        Plan(states).Print().ShouldContain("# if the deploy is undone: the database keeps every migration that completed");
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
        broken.Prepare[1].Title.ShouldBe("break the lock of bob (since 2026-11-25 08:00:00Z): stale after 30 minutes");
        broken.Prepare[2].Title.ShouldBe("take the tenant lock");
    }

    [Fact]
    public void A_missing_secret_blocks_and_names_the_variable_to_set_and_where_it_was_looked_for()
    {
        var file = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "secrets.env");
        var secrets = new SecretSource(new Dictionary<string, string> { ["ACME_ADMIN"] = "admin-value-123" }, new Dictionary<string, string>(), file);

        var plan = Plan(secrets: secrets);

        plan.Blockers.ShouldBe([$"acme@web-1: secrets not set on this machine: ACME_SIGNING (looked in the environment and in {file}, which does not exist)"]);
        var printed = plan.Print();
        printed.ShouldContain("    secret ADMIN_API_KEY <- ACME_ADMIN: set in the environment\n");
        printed.ShouldContain("    secret SIGNING_KEY <- ACME_SIGNING: NOT SET on this machine\n");
        printed.ShouldNotContain("admin-value-123");
    }

    [Fact]
    public void A_secret_from_the_secrets_file_is_named_with_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("secrets-");
        var file = Path.Combine(folder.FullName, "secrets.env");
        File.WriteAllText(file, "# kept outside git\nACME_ADMIN=admin-from-file-456\nACME_SIGNING=\"signing-from-file-789\"\n");
        try
        {
            var plan = Plan(secrets: SecretSource.FromMachine(file));

            plan.Blockers.ShouldBeEmpty();
            plan.Targets.First().Secrets.ShouldBe([new SecretOrigin("ADMIN_API_KEY", "ACME_ADMIN", file), new SecretOrigin("SIGNING_KEY", "ACME_SIGNING", file)]);
            plan.Print().ShouldContain($"    secret SIGNING_KEY <- ACME_SIGNING: set in {file}\n");
            plan.Print().ShouldNotContain("-from-file-");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
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

    [Fact]
    public void Before_the_upload_the_host_must_hold_the_artifact_the_unpacked_release_the_database_copy_and_the_running_releases_margin()
    {
        var sized = V2 with { Bytes = 19 * 1024 * 1024 - 100, UnpackedBytes = 48 * 1024 * 1024 + 1 };

        var check = PlanForAcme(sized, Running("1.0.0", Slot.Blue)).Prepare.OfType<RunStep>().Single(s => s.Title == "check the free disk for 2.0.0");

        // The text itself is pinned in DiskCommandsTests; here, the numbers the planner gives it (MiB, rounded up).
        check.Script.ShouldBe(DiskCommands.RequireFree(new TenantPaths("/srv/storage", "acme"), "web-1", "2.0.0", new DiskNeed(19, 49, "MIN_FREE_DISK_MB", 512)));

        check.Undo.ShouldBeNull();
    }

    [Theory]
    [InlineData(null, 512)]
    [InlineData("10", 10)]
    [InlineData("0", 0)]
    [InlineData("lots", 512)]
    public void The_margin_is_the_tenants_MIN_FREE_DISK_MB_else_the_services_default(string? value, long megabytes)
    {
        var env = value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["MIN_FREE_DISK_MB"] = value };
        var tenant = Config.Environment("production").Tenants["acme"] with { Env = env };

        DiskSpaceCheck.MinFreeMegabytes(tenant).ShouldBe(megabytes);
    }

    [Fact]
    public void A_failed_unpack_removes_the_partial_folder_and_the_upload_and_says_why_last()
    {
        var unpack = Plan().Targets.First().Prepare.OfType<RunStep>().Single(s => s.Title == "unpack into releases/2.0.0");

        // The text itself is pinned in ReleaseFolderCommandsTests; here, that the deploy unpacks its own upload.
        unpack.Script.ShouldBe(ReleaseFolderCommands.Unpack(new TenantPaths("/srv/storage", "acme"), "2.0.0", "/srv/storage/acme/uploads/storage-api-2.0.0.tar.gz"));

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

    [Fact]
    public void A_downgrade_is_blocked_unless_allowed_and_then_says_so()
    {
        var states = new Dictionary<(string, string), HostState> { [("acme", "web-1")] = Running("2.1.0", Slot.Blue) };
        var context = new PlanContext(Config, Config.Environment("production"), states, "ana", Now, "token-1", "acme");

        var refused = DeployPlanner.Plan(new DeployRequest(context, V2, Secrets)).Targets.Single();
        var allowed = DeployPlanner.Plan(new DeployRequest(context, V2, Secrets, AllowDowngrade: true)).Targets.Single();

        refused.Blocker.ShouldBe("2.0.0 is older than 2.1.0, which runs here: a downgrade needs --allow-downgrade (the database keeps 2.1.0's migrations)");
        allowed.Blocker.ShouldBeNull();
        allowed.Change.ShouldBe("acme@web-1: 2.1.0 -> 2.0.0 (a downgrade from 2.1.0, allowed by --allow-downgrade)");
        Plan(new() { [("acme", "web-1")] = Running("1.9.9", Slot.Blue) }).Targets.First().Why.ShouldBeNull();
    }

    [Fact]
    public async Task Backups_beyond_the_kept_number_are_pruned_on_a_real_folder()
    {
        var root = Directory.CreateTempSubdirectory("prune-");
        using var cleanup = new Cleanup(() => root.Delete(recursive: true));
        var paths = new TenantPaths(root.FullName, "acme");
        Directory.CreateDirectory(paths.Backups);
        for (var i = 1; i <= 5; i++)
        {
            var file = Path.Combine(paths.Backups, $"2026110{i}T000000Z-before-1.{i}.0.db");
            File.WriteAllText(file, "copy");
            File.SetLastWriteTimeUtc(file, new DateTime(2026, 11, i, 0, 0, 0, DateTimeKind.Utc));
        }
        File.WriteAllText(Path.Combine(paths.Backups, "by-hand.db"), "an operator's own copy");
        var prune = Plan(new() { [("acme", "web-1")] = Running("1.0.0", Slot.Blue) }).Targets.First().Finish.OfType<RunStep>()
            .Single(s => s.Title == "keep the newest 3 database backups");

        var result = await new Storagectl.Hosts.LocalConnection("here").RunAsync(prune.Script.Replace("/srv/storage", root.FullName));

        result.ExitCode.ShouldBe(0, result.Errors);
        Directory.EnumerateFiles(paths.Backups).Select(Path.GetFileName).Order().ShouldBe([
            "20261103T000000Z-before-1.3.0.db", "20261104T000000Z-before-1.4.0.db", "20261105T000000Z-before-1.5.0.db", "by-hand.db"]);
    }

    [Fact]
    public async Task A_lock_whose_holder_on_this_machine_is_gone_is_named_so_but_not_broken_before_it_is_stale()
    {
        using var gone = System.Diagnostics.Process.Start("true")!;
        await gone.WaitForExitAsync();
        LockOwner Held(int pid) => new("bob", Now.AddMinutes(-1), "1.9.0", "other") { Machine = MachineIdentity.Current, Pid = pid };

        var dead = Plan(new() { [("acme", "web-1")] = HostState.Empty with { Lock = Held(gone.Id) } }).Targets.First();
        var alive = Plan(new() { [("acme", "web-1")] = HostState.Empty with { Lock = Held(Environment.ProcessId) } }).Targets.First();
        var elsewhere = Plan(new() { [("acme", "web-1")] = HostState.Empty with { Lock = Held(gone.Id) with { Machine = "another-machine/boot/ns" } } }).Targets.First();

        dead.Blocker.ShouldBe($"locked by bob since 2026-11-25 09:59:00Z deploying 1.9.0; its storagectl process {gone.Id} on this machine is gone: "
            + "once its steps on the host are done, `storagectl lock release production --tenant acme` records it as abandoned");
        dead.Prepare.ShouldNotContain(step => step.Title.StartsWith("break the lock"));
        alive.Blocker.ShouldBe("locked by bob since 2026-11-25 09:59:00Z deploying 1.9.0; wait, or `storagectl lock release production --tenant acme` if that run is dead");
        elsewhere.Blocker.ShouldBe(alive.Blocker);
    }

    [Fact]
    public async Task Breaking_a_stale_lock_refuses_when_the_lock_changed_hands_meanwhile()
    {
        var root = Directory.CreateTempSubdirectory("lock-");
        try
        {
            var paths = new TenantPaths(root.FullName, "acme");
            Directory.CreateDirectory(paths.Lock);
            await File.WriteAllTextAsync(paths.LockOwner, new LockOwner("carol", Now, "2.0.0", "carols-token").ToJson());
            var here = new Storagectl.Hosts.LocalConnection("here");

            var refused = await here.RunAsync(TenantLockCommands.Break(paths, "bobs-token"), "{}\n");
            var broken = await here.RunAsync(TenantLockCommands.Break(paths, "carols-token"), "{\"outcome\":\"abandoned\"}\n");

            refused.ExitCode.ShouldBe(Step.RefusedExitCode);
            refused.Reason.ShouldBe("the lock changed hands while this run looked at it; look again with storagectl lock status");
            broken.ExitCode.ShouldBe(0, broken.Errors);
            Directory.Exists(paths.Lock).ShouldBeFalse();
            (await File.ReadAllTextAsync(paths.History)).ShouldBe("{\"outcome\":\"abandoned\"}\n");
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
