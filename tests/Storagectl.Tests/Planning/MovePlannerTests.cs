using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Planning;

namespace Storagectl.Tests.Planning;

/// <summary>A move is a plan like a deploy: its steps per host, their order, their undo and what blocks it, checked without any host.</summary>
public sealed class MovePlannerTests
{
    private const string Yaml = """
        hosts:
          web-1:
            address: web-1.example.net
            root: /srv/storage
            service_manager: process
          web-2:
            address: web-2.example.net
            private_address: 10.0.0.2
            root: /srv/storage
            service_manager: process
        environments:
          production:
            tenants:
              acme:
                hosts: [web-1]
                port: 8200
                public_url: https://files.acme.example
                slot_ports: [8201, 8202]
                env: { ENVIRONMENT: production, TENANT_ID: acme }
                secrets: { ADMIN_API_KEY: ACME_ADMIN, SIGNING_KEY: ACME_SIGNING }
              globex:
                hosts: [web-2]
                port: 8300
                slot_ports: [8301, 8302]
        """;

    private static readonly DeployConfig Config = DeployConfigLoader.Parse(Yaml, "storagectl.yml");
    private static readonly Artifact V1 = new("storage-api", "1.0.0", "abc1234", DateTimeOffset.UnixEpoch, "/tmp/storage-api-1.0.0.tar.gz", new string('e', 64));
    private const string AdminKey = "acme-admin-key-5f3c9e";
    private static readonly SecretSource Secrets = new(new Dictionary<string, string> { ["ACME_ADMIN"] = AdminKey, ["ACME_SIGNING"] = "s" }, new Dictionary<string, string>());
    private static readonly HostState Source = PlanningFixture.Running("1.0.0", Slot.Green) with
        { RunningSlots = [Slot.Green], Manifests = new Dictionary<string, Artifact> { ["1.0.0"] = V1 with { File = "storage-api-1.0.0.tar.gz" } } };

    private static MovePlan Plan(HostState? source = null, HostState? target = null, Artifact? artifact = null, IReadOnlySet<int>? listening = null,
        bool keepSource = false, DeployConfig? config = null)
    {
        config ??= Config;
        var states = new Dictionary<(string, string), HostState> { [("acme", "web-1")] = source ?? Source, [("acme", "web-2")] = target ?? HostState.Empty };
        var context = new PlanContext(config, config.Environment("production"), states, "ana", PlanningFixture.Now, "token-1", "acme");
        return MovePlanner.Plan(new MoveRequest(context, "acme", "web-2", artifact ?? V1, Secrets, listening ?? new HashSet<int>(), keepSource));
    }

    [Fact]
    public void The_target_is_locked_provisioned_deployed_and_seeded_before_it_starts_and_the_source_is_locked_too()
    {
        var move = Plan();
        var titles = move.Steps.Prepare.Select(s => s.Title).ToList();

        move.Plan.Blockers.ShouldBeEmpty();
        titles[..4].ShouldBe(["web-1: take the tenant lock", "take the tenant lock", "check that web-2 has no data for acme", "check that ports 8200, 8201, 8202 are free on web-2"]);
        move.Steps.Prepare[0].On!.Name.ShouldBe("web-1");
        move.Steps.Prepare[0].Undo.ShouldBe(TenantLockCommands.Release(new TenantPaths("/srv/storage", "acme"), "token-1"));
        titles.ShouldContain("write the nginx site /etc/nginx/conf.d/storage-acme.conf");
        titles.ShouldContain("upload the artifact");
        titles.Count(t => t == "take the tenant lock").ShouldBe(1);
        // The data is in place before the first start, so the target starts with the source's instance id.
        var seeded = titles.IndexOf("copy the database from web-1 (an online backup; web-1 keeps serving)");
        seeded.ShouldBeGreaterThan(titles.IndexOf("write shared/.env (0600)"));
        titles.IndexOf("copy the blob files from web-1").ShouldBe(seeded + 1);
        titles.IndexOf("hold writes on web-2 until the switch").ShouldBe(seeded + 2);
        titles.IndexOf("apply database migrations").ShouldBe(seeded + 3);
        titles.ShouldContain("start 1.0.0 in the blue slot on port 8201");
        titles.ShouldContain("switch nginx to the blue slot");
        move.Steps.Prepare.OfType<PipeStep>().ShouldAllBe(p => p.Undo != null && p.From.Name == "web-1");
        move.Steps.Prepare.OfType<UploadStep>().Single().Sha256.ShouldBe(V1.Sha256);
        move.Steps.AllSteps().ShouldNotContain(s => s is BakeStep);
    }

    [Fact]
    public void Writes_are_held_drained_copied_verified_and_opened_on_the_target_before_the_source_forwards_which_commits()
    {
        var move = Plan();

        move.Steps.Switch.Select(s => s.Title).ShouldBe([
            "web-1: hold writes (503 with Retry-After; reads go on)", "web-1: wait until no write is in flight",
            "copy the last changes of the database and the blob files web-2 lacks from web-1",
            "verify counts and digests on web-1 and web-2", "open writes on web-2", "web-1: forward acme's clients to http://10.0.0.2:8200"]);
        move.HoldWindow.First().ShouldBe(move.HoldStarts);
        move.HoldWindow.Last().ShouldBe(move.HoldEnds);
        var hold = (RunStep)move.HoldStarts;
        hold.Script.ShouldBe("""curl -sS --fail-with-body -m 300 -X PUT -H @- -H 'Content-Type: application/json' --data-raw '{"reason":"moving to web-2"}' http://127.0.0.1:8202/v1/admin/write-hold""");
        hold.Input.ShouldBe($"X-API-Key: {AdminKey}\n");
        hold.Undo!.ShouldContain("storage-api write-hold off");
        var verify = move.Steps.Switch.OfType<VerifyMatchStep>().Single();
        (verify.SourceScript, verify.TargetScript).ShouldBe(( // each host's active slot: green on web-1, the new blue on web-2
            "curl -sS --fail-with-body -m 300 -X GET -H @- http://127.0.0.1:8202/v1/admin/verify", "curl -sS --fail-with-body -m 300 -X GET -H @- http://127.0.0.1:8201/v1/admin/verify"));
        verify.Input.ShouldBe(hold.Input);
        var open = (RunStep)move.Steps.Switch.Single(s => s.Title == "open writes on web-2");
        (open.Script, open.Input).ShouldBe(("curl -sS --fail-with-body -m 300 -X DELETE -H @- http://127.0.0.1:8201/v1/admin/write-hold", hold.Input));
        move.Steps.Switch.OfType<WriteDrainStep>().Single().Ports.ShouldBe([8202]); // the green slot runs on web-1
        var copies = (TogetherStep)move.Steps.Switch[2]; // the database and the blob files at once: different files, different commands
        copies.Lanes.Select(lane => lane.Select(s => s.Title)).ShouldBe([
            ["copy the last changes of the database from web-1"], ["web-1: learn which blob files web-2 has", "copy the blob files web-2 lacks"]]);
        copies.Lanes.SelectMany(lane => lane).ShouldAllBe(s => s.Undo == null);
        ((PipeStep)copies.Lanes[0][0]).Place!.ShouldContain("restore /srv/storage/acme/shared/backups/.move-copy.db --discard-newer");
        copies.Describe().ShouldContain("# copy the blob files web-2 lacks");
        var forward = (RunStep)move.HoldEnds;
        (forward.Commits, forward.On!.Name).ShouldBe((true, "web-1"));
        forward.Input!.ShouldContain("listen 8200;");
        forward.Input!.ShouldContain("proxy_pass http://10.0.0.2:8200;");
        forward.Undo.ShouldBe(ProxyCommands.RestoreSite(Config.Hosts["web-1"], Config.Environment("production").Tenants["acme"]));
        move.Steps.AllSteps().Where(s => s.Commits).ShouldHaveSingleItem();
    }

    [Fact]
    public void The_plan_prints_every_command_of_the_hold_window_and_never_the_admin_key()
    {
        var move = Plan();

        var printed = string.Join("\n", move.Steps.AllSteps().Select(s => s.Describe()));

        printed.ShouldNotContain(AdminKey);
        printed.ShouldContain("-X PUT -H @- -H 'Content-Type: application/json' --data-raw '{\"reason\":\"moving to web-2\"}' http://127.0.0.1:8202/v1/admin/write-hold   # stdin: X-API-Key: acme's ADMIN_API_KEY");
        printed.ShouldContain("(stdin of both: X-API-Key: acme's ADMIN_API_KEY)");
    }

    [Fact]
    public void A_tenant_without_an_admin_key_cannot_be_moved()
    {
        var yaml = Yaml.Replace("secrets: { ADMIN_API_KEY: ACME_ADMIN, SIGNING_KEY: ACME_SIGNING }", "secrets: { SIGNING_KEY: ACME_SIGNING }");
        yaml.ShouldNotBe(Yaml);
        Plan(config: DeployConfigLoader.Parse(yaml, "storagectl.yml")).Steps.Blocker.ShouldNotBeNull().ShouldContain("has no ADMIN_API_KEY among its secrets");
    }

    [Fact]
    public void Before_the_forward_every_change_to_the_source_has_an_undo_so_an_undone_move_leaves_it_serving_and_writable()
    {
        var move = Plan();
        var beforeForward = move.Steps.Prepare.Concat(move.Steps.Switch.TakeWhile(s => s != move.HoldEnds)).Where(s => s.On?.Name == "web-1").ToList();

        beforeForward.Select(s => s.Title).ShouldBe([
            "web-1: take the tenant lock", "web-1: hold writes (503 with Retry-After; reads go on)",
            "web-1: wait until no write is in flight"]);
        beforeForward.Where(s => s is RunStep).ShouldAllBe(s => s.Undo != null);
        move.Steps.Peers.ShouldHaveSingleItem().Host.Name.ShouldBe("web-1");
        move.Steps.Prepare.Single(s => s.Title == "start 1.0.0 in the blue slot on port 8201").Undo!.ShouldContain("kill -TERM");
    }

    [Fact]
    public void After_the_switch_the_target_rehashes_every_blob_the_source_is_stopped_unless_kept_and_isolation_is_probed()
    {
        Plan().Steps.Finish.Select(s => s.Title).ShouldBe([
            "check every blob's sha256 on web-2", "web-1: stop acme's slots once requests in flight are done", "web-1: leave a note in /srv/storage/acme/MOVED",
            "check acme's isolation"]);
        Plan(keepSource: true).Steps.Finish.Select(s => s.Title).ShouldBe(["check every blob's sha256 on web-2", "web-1: leave a note in /srv/storage/acme/MOVED", "check acme's isolation"]);
        ((RunStep)Plan().Steps.Finish[0]).Script.ShouldContain("storage-api verify --rehash");
    }

    [Fact]
    public void With_an_S3_blob_store_only_the_database_moves()
    {
        var yaml = Yaml.Replace("env: { ENVIRONMENT: production, TENANT_ID: acme }", "env: { ENVIRONMENT: production, TENANT_ID: acme, BLOB_STORE_URL: 's3://bucket/acme' }");

        var move = Plan(config: DeployConfigLoader.Parse(yaml, "storagectl.yml"));

        move.Steps.AllSteps().OfType<PipeStep>().Select(s => s.Title).ShouldBe([
            "copy the database from web-1 (an online backup; web-1 keeps serving)", "copy the last changes of the database from web-1"]);
        move.Steps.AllSteps().OfType<TogetherStep>().ShouldBeEmpty();
    }

    [Fact]
    public void The_tenant_keeps_its_ports_where_they_are_free_and_gets_the_next_free_ones_where_not()
    {
        Plan().Moved.ShouldSatisfyAllConditions(m => m.Port.ShouldBe(8200), m => m.SlotPorts.ShouldBe([8201, 8202]), m => m.Hosts.ShouldBe(["web-2"]));

        // Something else listens on 8200, 8202 and 8203 on web-2.
        var moved = Plan(listening: new HashSet<int> { 8200, 8202, 8203 }).Moved;

        moved.Port.ShouldBe(8201);
        moved.SlotPorts.ShouldBe([8204, 8205]);
        // Ports that any tenant of the configuration has on the host are taken too (globex: 8300, 8301, 8302).
        var acme = Config.Environment("production").Tenants["acme"];
        PortChoice.On(Config.Hosts["web-2"], acme with { Port = 8300, SlotPorts = [8301, 8400] }, Config, new HashSet<int>()).ShouldSatisfyAllConditions(
            p => p.Port.ShouldBe(8303), p => p.SlotPorts.ShouldBe([8304, 8400]));
        Plan(listening: new HashSet<int> { 8200 }).Notes.ShouldContain(n => n.Contains("acme listens on port 8201 on web-2 (8200 is taken there)"));
    }

    [Fact]
    public void The_dns_change_names_the_public_urls_host_and_the_target()
    {
        Plan().Notes[0].ShouldBe("DNS: point files.acme.example at web-2.example.net (now web-1.example.net); until it follows, web-1's nginx forwards acme's clients to web-2");
        Plan().Notes.ShouldContain(n => n.Contains("/srv/storage/acme/shared/data"));
    }

    [Fact]
    public void Another_build_than_the_one_the_source_runs_is_refused_naming_the_version_and_sha256_wanted()
    {
        var rebuilt = V1 with { Sha256 = new string('f', 64), File = "/tmp/storage-api-1.0.0.tar.gz" };

        Plan(artifact: rebuilt).Plan.Blockers.ShouldHaveSingleItem().ShouldBe(
            $"acme@web-2: web-1 runs storage-api 1.0.0 (sha256 {V1.Sha256}); storage-api-1.0.0.tar.gz is 1.0.0 (sha256 {rebuilt.Sha256}): " +
            "a move deploys that very build, never a new one (give it with --artifact)");
        Plan(artifact: V1 with { Version = "2.0.0" }).Plan.Blockers.ShouldHaveSingleItem().ShouldContain("web-1 runs storage-api 1.0.0");
    }

    [Fact]
    public void A_target_that_runs_the_tenant_a_source_that_does_not_and_a_lock_held_elsewhere_block_the_move()
    {
        Plan(target: PlanningFixture.Running("1.0.0", Slot.Blue)).Plan.Blockers.ShouldHaveSingleItem().ShouldContain("web-2 already runs acme (1.0.0, in /srv/storage/acme)");
        Plan(source: Source with { RunningSlots = [] }).Plan.Blockers.ShouldHaveSingleItem().ShouldContain("acme's service is not running on web-1");
        Plan(source: HostState.Empty).Plan.Blockers.ShouldHaveSingleItem().ShouldContain("acme runs no release on web-1");
        var held = Source with { Lock = new LockOwner("bob", PlanningFixture.Now, "2.0.0", "other") };
        Plan(source: held).Plan.Blockers.ShouldHaveSingleItem().ShouldContain("web-1: locked by bob");
        Should.Throw<ConfigException>(() => MovePlanner.Plan(new MoveRequest(
            new PlanContext(Config, Config.Environment("production"), new Dictionary<(string, string), HostState>(), "ana", PlanningFixture.Now, "t"), "acme", "web-1", V1, Secrets, new HashSet<int>())))
            .Message.ShouldBe("acme already runs on web-1");
    }

    [Fact]
    public void The_plan_prints_as_a_move_with_each_hosts_commands()
    {
        var printed = Plan().Plan.Print();

        printed.ShouldStartWith("move acme in production as ana");
        printed.ShouldContain("acme@web-2 (blue-green): (nothing) -> 1.0.0");
        printed.ShouldContain("why: moved from web-1");
        printed.ShouldContain("on web-1:");
    }
}
