using System.Net.Sockets;
using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Planning;
using Storagectl.Tests.Workflows;
using Step = Storagectl.Planning.Step;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Planning;

/// <summary>
/// nginx reaches the active slot through the symlink run/active.sock: a switch replaces the link and never reloads
/// nginx; a deploy refuses a site that does not use the link. The scripts are checked as text and run for real.
/// </summary>
public sealed class SocketSwitchTests
{
    private static readonly Artifact V2 = new("storage-api", "2.0.0", "abc1234", DateTimeOffset.UnixEpoch, "/tmp/storage-api-2.0.0.tar.gz", new string('e', 64));
    private static readonly SecretSource Secrets = new(new Dictionary<string, string> { ["ACME_ADMIN"] = "a", ["ACME_SIGNING"] = "s" }, new Dictionary<string, string>());

    private static TargetPlan Deploy(HostState state, string tenant = "acme", string host = "web-1") =>
        DeployPlanner.Plan(new DeployRequest(new PlanContext(Config, Config.Environment("production"), new Dictionary<(string, string), HostState> { [(tenant, host)] = state }, "ana", Now, "t", tenant), V2, Secrets)).Targets.Single();

    private static string ScriptOf(IEnumerable<Step> steps, string title) => ((RunStep)steps.Single(s => s.Title == title)).Script;

    [Fact]
    public void The_switch_replaces_the_active_socket_link_and_its_undo_points_it_back()
    {
        var acme = Deploy(Running("1.0.0", Slot.Green));

        var switching = acme.Switch.Single(s => s.Title == "switch nginx to the blue slot");
        // The text itself is pinned in ProxyCommandsTests; here, that the switch points at blue and its undo back at green.
        var acmePaths = new TenantPaths("/srv/storage", "acme");
        ((RunStep)switching).Script.ShouldBe(ProxyCommands.PointTo(acmePaths, Slot.Blue));
        switching.Undo.ShouldBe(ProxyCommands.PointTo(acmePaths, Slot.Green));

    }

    [Fact]
    public void No_deploy_or_rollback_step_reloads_or_tests_nginx()
    {
        var deploy = Deploy(Running("1.0.0", Slot.Green));
        var rollback = RollbackPlanner.Plan(new PlanContext(Config, Config.Environment("production"),
            new Dictionary<(string, string), HostState> { [("acme", "web-1")] = Running("1.1.0", Slot.Blue, "1.1.0", "1.0.0") }, "ana", Now, "t", "acme"), null).Targets.Single();

        foreach (var step in deploy.AllSteps().Concat(rollback.AllSteps()))
        {
            step.Describe().ShouldNotContain("nginx -");
            (step.Undo ?? "").ShouldNotContain("nginx -");
        }
    }

    [Fact]
    public void The_idle_slot_listens_on_its_port_and_its_socket_and_starts_without_a_stale_socket_file()
    {
        var start = ScriptOf(Deploy(Running("1.0.0", Slot.Green)).Prepare, "start 2.0.0 in the blue slot on port 8201");

        start.ShouldContain("printf 'URLS=%s\\n' 'http://127.0.0.1:8201;http://unix:/srv/storage/acme/run/blue.sock' > /srv/storage/acme/shared/slot-blue.env");
        start.ShouldContain("rm -f /srv/storage/acme/run/blue.sock\n");
        // Without nginx nothing connects to a socket: the slot keeps to the tenant's port.
        ScriptOf(Deploy(Running("1.0.0", Slot.Blue), "solo", "plain").Switch, "start 2.0.0 in the blue slot on port 8400")
            .ShouldContain("printf 'URLS=%s\\n' http://127.0.0.1:8400 > /srv/plain/solo/shared/slot-blue.env");
    }

    [Fact]
    public void A_deploy_and_a_rollback_first_check_that_the_site_proxies_to_the_active_socket()
    {
        const string check = "grep -qF -- 'proxy_pass http://unix:/srv/storage/acme/run/active.sock:' /etc/nginx/conf.d/storage-acme.conf 2>/dev/null" +
            " || { echo 'the nginx site /etc/nginx/conf.d/storage-acme.conf does not proxy to /srv/storage/acme/run/active.sock;" +
            " run `storagectl provision production` first' >&2; exit 75; }";
        var rollback = RollbackPlanner.Plan(new PlanContext(Config, Config.Environment("production"),
            new Dictionary<(string, string), HostState> { [("acme", "web-1")] = Running("1.1.0", Slot.Blue, "1.1.0", "1.0.0") }, "ana", Now, "t", "acme"), null).Targets.Single();

        foreach (var plan in new[] { Deploy(HostState.Empty), rollback })
        {
            plan.Prepare[0].Title.ShouldBe("check that the nginx site proxies to the active socket");
            ((RunStep)plan.Prepare[0]).Script.ShouldBe(check);
        }
        Deploy(HostState.Empty, "solo", "plain").AllSteps().ShouldNotContain(s => s.Title.Contains("nginx"));
    }

    [Fact]
    public void Provision_writes_a_site_without_upstream_keepalive_and_keeps_an_existing_link()
    {
        var context = new PlanContext(Config, Config.Environment("production"), new Dictionary<(string, string), HostState>(), "ana", Now, "t");
        var steps = ProvisionPlanner.Plan(context, "web-1").Targets.First(t => t.Name == "acme@web-1").Prepare.Cast<RunStep>().ToList();

        steps.Select(s => s.Title).ShouldBe(["take the tenant lock", "create the tenant folders", "keep or create the active socket link", "write the nginx site /etc/nginx/conf.d/storage-acme.conf"]);
        steps[3].Input.ShouldBe("""
            # Written by storagectl provision. The active slot is whichever socket /srv/storage/acme/run/active.sock links to;
            # without upstream keepalive every request connects afresh through that link, so a switch needs no reload.
            server {
                listen 8200;
                client_max_body_size 0;          # the service enforces its own limit while streaming
                proxy_request_buffering off;     # stream uploads, never spool them in nginx
                proxy_buffering off;
                location / {
                    proxy_pass http://unix:/srv/storage/acme/run/active.sock:;
                    proxy_http_version 1.1;
                    proxy_set_header Host $http_host;             # as the client sent it, port included ($host drops it)
                    proxy_set_header X-Forwarded-Host $http_host;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_read_timeout 300s;
                }
            }
            """);
        steps[3].Script.ShouldEndWith(" && rm -rf /srv/storage/acme/nginx");
        steps[3].Undo.ShouldBe(ProxyCommands.RestoreSite(Config.Hosts["web-1"], Config.Environment("production").Tenants["acme"]));
        steps[2].Script.ShouldContain("if [ ! -L /srv/storage/acme/run/active.sock ]; then");
    }

    [Fact]
    public void The_systemd_unit_lets_the_service_create_its_socket_in_run()
    {
        var unit = ServiceCommands.SystemdUnit(Config.Service, new TenantPaths("/srv/storage", "acme"));

        unit.ShouldContain("ExecStartPre=/bin/rm -f /srv/storage/acme/run/%i.sock\n");
        unit.ShouldContain("ReadWritePaths=/srv/storage/acme/shared /srv/storage/acme/run\n");
    }

    [Fact]
    public void Stopping_a_slot_kills_a_frozen_process_at_once_and_asks_any_other_to_terminate()
    {
        var stop = ServiceCommands.Stop(Config.Hosts["web-1"], new TenantPaths("/srv/storage", "acme"), Slot.Blue);

        stop.ShouldContain("if [ \"$(state)\" = T ]; then kill -KILL \"$pid\" 2>/dev/null || true; else kill -TERM \"$pid\" 2>/dev/null || true; fi");
    }

    [Fact]
    public async Task Run_for_real_the_check_refuses_an_upstream_site_and_the_switch_moves_the_link_to_a_listening_socket()
    {
        using var sandbox = new ScriptSandbox();
        var host = Config.Hosts["web-1"] with { Root = sandbox.Folder + "/srv", NginxSitesDirectory = sandbox.Folder + "/sites" };
        var tenant = Config.Environment("production").Tenants["acme"];
        var paths = new TenantPaths(host.Root, "acme");
        Directory.CreateDirectory(paths.Run);
        Directory.CreateDirectory(host.NginxSitesDirectory);
        var site = ProxyCommands.SitePath(host, tenant);
        await File.WriteAllTextAsync(site, "upstream storage_acme { include /srv/storage/acme/nginx/upstream.conf; }");

        var refused = await sandbox.RunAsync(ProxyCommands.RequireSocketSite(host, tenant, paths, "production"));
        refused.ExitCode.ShouldBe(Step.RefusedExitCode);
        refused.Errors.Trim().ShouldBe($"the nginx site {site} does not proxy to {paths.ActiveSocket}; run `storagectl provision production` first");

        await File.WriteAllTextAsync(site, ProxyCommands.Site(tenant, paths));
        (await sandbox.RunAsync(ProxyCommands.RequireSocketSite(host, tenant, paths, "production"))).ExitCode.ShouldBe(0);

        (await sandbox.RunAsync(ProxyCommands.KeepOrCreateActiveSocket(paths))).Output.ShouldContain("nginx answers 502 for acme until the next deploy");
        File.ResolveLinkTarget(paths.ActiveSocket, returnFinalTarget: false)!.FullName.ShouldBe(paths.SlotSocket(Slot.Blue));

        var notListening = await sandbox.RunAsync(ProxyCommands.PointTo(paths, Slot.Green));
        notListening.ExitCode.ShouldBe(1);
        notListening.Errors.ShouldContain("the green slot does not listen on");
        using var green = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        green.Bind(new UnixDomainSocketEndPoint(paths.SlotSocket(Slot.Green)));

        var switched = await sandbox.RunAsync(ProxyCommands.PointTo(paths, Slot.Green));

        switched.ExitCode.ShouldBe(0, switched.ToString());
        new FileInfo(paths.ActiveSocket).LinkTarget.ShouldBe("green.sock");
        (await File.ReadAllTextAsync(paths.Root + "/active")).ShouldBe("green\n");
        (await sandbox.RunAsync(ProxyCommands.KeepOrCreateActiveSocket(paths))).Output.ShouldBeEmpty();
        new FileInfo(paths.ActiveSocket).LinkTarget.ShouldBe("green.sock");
    }
}
