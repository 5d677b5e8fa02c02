using Storagectl.Cli;
using Storagectl.Configuration;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Planning;

/// <summary>The restore, remove and backup plans as data: what runs, in which order, what blocks them, where they record.</summary>
public sealed class RecoveryPlannerTests
{
    private static readonly Artifact V1 = new("storage-api", "1.0.0", "abc1234", DateTimeOffset.UnixEpoch, "/tmp/storage-api-1.0.0.tar.gz", new string('e', 64));
    private static readonly SecretSource Secrets = new(new Dictionary<string, string> { ["ACME_ADMIN"] = "a", ["ACME_SIGNING"] = "s", ["ACME_BACKUP_KEY"] = "k" }, new Dictionary<string, string>());
    private static readonly Snapshot Taken = new("20261125T090000Z-ab12", new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), "2026-11-25T09:00:00.1234567Z", "1.0.0", 12, 3456, 0);

    private static readonly DeployConfig Backed = DeployConfigLoader.Parse(Yaml.Replace(
        "env: { ENVIRONMENT: production, TENANT_ID: acme }", "env: { ENVIRONMENT: production, TENANT_ID: acme, BACKUP_URL: \"file:///backups/acme\" }").Replace(
        "secrets: { ADMIN_API_KEY: ACME_ADMIN, SIGNING_KEY: ACME_SIGNING }", "secrets: { ADMIN_API_KEY: ACME_ADMIN, SIGNING_KEY: ACME_SIGNING, BACKUP_KEY: ACME_BACKUP_KEY }"), "storagectl.yml");

    private static PlanContext Context(DeployConfig config, HostState? acme = null, string host = "web-1") =>
        new(config, config.Environment("production"), new Dictionary<(string, string), HostState> { [("acme", host)] = acme ?? HostState.Empty }, "ana", Now, "token-1", "acme");

    private static DeployPlan Restore(HostState? state = null, Artifact? artifact = null) =>
        RestorePlanner.Plan(new RestoreRequest(Context(Backed, state), "acme", artifact ?? V1, Secrets, Taken, "file:///backups/acme"));

    [Fact]
    public void A_restore_provisions_under_the_lock_and_restores_and_verifies_before_migrate_then_activates_like_a_deploy()
    {
        var plan = Restore();
        var acme = plan.Targets.Single();

        plan.Kind.ShouldBe(DeployPlan.Restore);
        acme.Blocker.ShouldBeNull();
        acme.Prepare.Select(s => s.Title).ShouldBe([
            "take the tenant lock", "create the tenant folders", "keep or create the active socket link", "write the nginx site /etc/nginx/conf.d/storage-acme.conf",
            "create the folders", "check the free disk for 1.0.0", "upload the artifact", "unpack into releases/1.0.0", "write shared/.env (0600)",
            "check the configuration with the new binary",
            "restore snapshot 20261125T090000Z-ab12 (2026-11-25T09:00:00.1234567Z) into the empty data folder and database",
            "verify every restored blob (verify --rehash): 12 objects",
            "apply database migrations", "start 1.0.0 in the blue slot on port 8201", "wait until 1.0.0 is ready on port 8201"]);
        acme.Switch.Select(s => s.Title).ShouldBe(["switch nginx to the blue slot", "point current at releases/1.0.0"]);
        var restore = acme.Prepare.OfType<RunStep>().Single(s => s.Title.StartsWith("restore snapshot"));
        restore.Script.ShouldContain("restore-from \"$url\" --at 2026-11-25T09:00:00.1234567Z");
        restore.Input.ShouldBe("file:///backups/acme");
        restore.Describe().ShouldNotContain("file:///backups/acme");
        restore.Undo!.ShouldContain("mv data data.undone-");
        acme.Prepare.OfType<RunStep>().Single(s => s.Title.StartsWith("verify every")).Script.ShouldContain("verify --rehash");
        plan.Print().ShouldContain("restore production from backups with storage-api 1.0.0");
    }

    [Fact]
    public void A_restore_is_blocked_on_a_host_that_runs_the_tenant_and_by_an_artifact_of_another_release()
    {
        Restore(Running("1.0.0", Slot.Blue)).Blockers.ShouldHaveSingleItem().ShouldContain("already runs 1.0.0 on web-1");
        Restore(artifact: V1 with { Version = "2.0.0" }).Blockers.ShouldHaveSingleItem().ShouldContain("was taken by 1.0.0, the artifact is 2.0.0");
        // The service reports its version with the commit as build metadata.
        (Taken with { Version = "1.0.0+abc1234def" }).TakenBy(V1).ShouldBeTrue();
        (Taken with { Version = "1.0.0+0000000" }).TakenBy(V1).ShouldBeFalse();
        (Taken with { Version = "1.0.0+abc1234def" }).Release.ShouldBe("1.0.0");
    }

    [Fact]
    public void A_removal_stops_backs_up_copies_then_removes_the_site_and_moves_the_folder_aside_recording_there()
    {
        var state = Running("1.0.0", Slot.Green) with { RunningSlots = [Slot.Green] };
        var plan = RemovePlanner.Plan(Context(Backed, state) with { Kind = DeployPlan.Remove }, "acme");
        var acme = plan.Targets.Single();
        var aside = "/srv/storage/.removed/acme-20261125T100000Z";

        plan.ChangesVersions.ShouldBeFalse();
        acme.Prepare.Select(s => s.Title).ShouldBe(["take the tenant lock", "stop the green slot", "take a final off-host backup (backup-now)", $"keep a final copy in {aside}/final-backup"]);
        acme.Switch.Select(s => s.Title).ShouldBe(["remove the nginx site /etc/nginx/conf.d/storage-acme.conf", $"move /srv/storage/acme aside to {aside}/acme"]);
        acme.Prepare[1].Undo!.ShouldContain("8202"); // starting the green slot again waits for its port
        acme.RecordIn!.History.ShouldBe($"{aside}/acme/deploys.jsonl");
        string.Join('\n', acme.AllSteps().OfType<RunStep>().Select(s => s.Script)).ShouldNotContain("rm -rf /srv/storage/acme\n");
    }

    [Fact]
    public void A_removal_without_backups_still_keeps_a_final_copy()
    {
        var plan = RemovePlanner.Plan(Context(Config, Running("1.0.0", Slot.Blue)) with { Kind = DeployPlan.Remove }, "acme");
        plan.Targets.Single().Prepare.Select(s => s.Title).ShouldNotContain("take a final off-host backup (backup-now)");
        plan.Targets.Single().Prepare.Select(s => s.Title).Last().ShouldStartWith("keep a final copy");
    }

    [Fact]
    public void A_backup_plan_per_target_names_a_tenant_without_BACKUP_URL_and_a_drill_sends_the_url_on_stdin()
    {
        var context = new PlanContext(Backed, Backed.Environment("production"),
            new Dictionary<(string, string), HostState> { [("acme", "web-1")] = Running("1.0.0", Slot.Blue), [("globex", "web-1")] = Running("1.0.0", Slot.Blue) },
            "ana", Now, "token-1");
        var plans = BackupPlanner.Plan(context, Secrets, drill: true);

        plans.Count.ShouldBe(3);
        plans.ShouldAllBe(p => p.Kind == DeployPlan.Backup && p.Targets.Count() == 1);
        var acme = plans.Single(p => p.Targets.Single().Tenant.Name == "acme").Targets.Single();
        acme.Blocker.ShouldBeNull();
        acme.Prepare.Select(s => s.Title).ShouldBe(["take the tenant lock", "take a backup between two looks at the live data (verify, backup-now, verify)",
            "restore drill in /srv/storage/acme/shared/restore-drill: restore-from, verify --rehash, compare, remove"]);
        var drill = (RunStep)acme.Prepare[2];
        drill.Input.ShouldBe("file:///backups/acme");
        drill.Script.ShouldContain("DATABASE_URL=sqlite:////srv/storage/acme/shared/restore-drill/data/storage.db STORAGE_DATA_DIR=/srv/storage/acme/shared/restore-drill/data BLOB_STORE_URL=file:///srv/storage/acme/shared/restore-drill/data/blobs");
        drill.Script.ShouldContain("trap 'rm -rf /srv/storage/acme/shared/restore-drill' EXIT");
        plans.Single(p => p.Targets.Single().Tenant.Name == "globex").Targets.Single().Blocker!.ShouldStartWith("globex has no BACKUP_URL");
        plans.Single(p => p.Targets.Single().Tenant.Name == "solo").Targets.Single().Blocker!.ShouldStartWith("solo has no BACKUP_URL");
        BackupPlanner.Plan(context, Secrets, drill: false)[0].Targets.Single().Prepare.Select(s => s.Title).Last().ShouldBe("take a backup (backup-now)");
    }

    [Fact]
    public void Snapshots_are_read_from_backups_list_and_chosen_at_or_before_a_time()
    {
        var list = Snapshot.ParseList("""
            20261125T080000Z-aa	2026-11-25T08:00:00.0000001Z	1.0.0	10 objects	100 bytes
            20261125T090000Z-bb	2026-11-25T09:00:00.5000000Z	2.0.0	12 objects	120 bytes	1 missing
            """);
        list.Select(s => s.Version).ShouldBe(["1.0.0", "2.0.0"]);
        list[1].ShouldBe(new Snapshot("20261125T090000Z-bb", new DateTimeOffset(2026, 11, 25, 9, 0, 0, 500, TimeSpan.Zero), "2026-11-25T09:00:00.5000000Z", "2.0.0", 12, 120, 1));
        Snapshot.Choose(list, null)!.Id.ShouldBe("20261125T090000Z-bb");
        Snapshot.Choose(list, new DateTimeOffset(2026, 11, 25, 8, 30, 0, TimeSpan.Zero))!.Id.ShouldBe("20261125T080000Z-aa");
        Snapshot.Choose(list, new DateTimeOffset(2026, 11, 25, 7, 0, 0, TimeSpan.Zero)).ShouldBeNull();
    }

    [Fact]
    public void Status_reads_the_backup_age_from_the_full_health_report()
    {
        BackupAge.Parse("""{"status":"healthy","checks":{"database":{"status":"healthy"}}}""").Summary.ShouldBe("not configured");
        BackupAge.Parse("""{"status":"healthy","checks":{"backup":{"status":"healthy","description":"no backup yet","data":null}}}""").Summary.ShouldBe("never");
        var ok = BackupAge.Parse("""{"checks":{"backup":{"status":"healthy","data":{"ageSeconds":185.2,"snapshot":"s1","takenAt":"2026-11-25T09:00:00Z"}}}}""");
        ok.ShouldBe(new BackupAge("ok", 185.2, new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), "s1"));
        ok.Summary.ShouldBe("3m ago");
        BackupAge.Parse("""{"checks":{"backup":{"status":"degraded","data":{"ageSeconds":90000}}}}""").Summary.ShouldBe("25h ago (overdue)");
        BackupAge.Parse("""{"status":"healthy","version":"1.0.0"}""").Summary.ShouldBe("?");
    }
}
