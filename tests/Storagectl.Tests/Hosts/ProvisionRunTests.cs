using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Hosts;

/// <summary>
/// `provision` as a plan run by the real executor on this machine: the tenant lock, the folders, a history record,
/// and, when nginx refuses the site, the site it wrote taken back.
/// </summary>
public sealed class ProvisionRunTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("provision-");

    private async Task<(DeployOutcome Outcome, string Log)> ProvisionAsync(HostConfig host)
    {
        var config = Config with { Hosts = new Dictionary<string, HostConfig> { [host.Name] = host } };
        var environment = Config.Environment("production") with { Rings = [["acme"]] };
        environment = environment with { Tenants = new Dictionary<string, TenantConfig> { ["acme"] = environment.Tenants["acme"] with { Hosts = [host.Name] } } };
        var context = new PlanContext(config, environment, new Dictionary<(string, string), HostState>(), "ana", Now, "token-1");
        var plan = ProvisionPlanner.Plan(context, onlyHost: null);
        var log = new StringWriter();
        await using var connection = new LocalConnection(host.Name);
        return (await new DeployExecutor(_ => connection, new PlainReporter(log), TimeProvider.System).RunAsync(plan), log.ToString());
    }

    [Fact]
    public async Task A_host_without_a_proxy_gets_its_folders_under_the_lock_and_a_history_record()
    {
        var host = Config.Hosts["plain"] with { Root = _root.FullName, Transport = HostTransport.Local };

        var (outcome, log) = await ProvisionAsync(host);

        outcome.Succeeded.ShouldBeTrue(log);
        log.ShouldContain("ok  take the tenant lock (");
        log.ShouldContain("ok  create the tenant folders (");
        Directory.Exists(Path.Combine(_root.FullName, "acme", "releases")).ShouldBeTrue();
        Directory.Exists(Path.Combine(_root.FullName, "acme", "deploy.lock")).ShouldBeFalse();
        var record = DeployRecord.FromJson(File.ReadAllLines(Path.Combine(_root.FullName, "acme", "deploys.jsonl")).ShouldHaveSingleItem())!;
        (record.Kind, record.Outcome, record.Version, record.Who).ShouldBe((DeployPlan.Provision, DeployRecord.Succeeded, "(none)", "ana"));
    }

    [Fact]
    public async Task A_site_nginx_refuses_is_taken_back()
    {
        var sites = Directory.CreateDirectory(Path.Combine(_root.FullName, "sites")).FullName;
        var host = Config.Hosts["web-1"] with
        {
            Root = _root.FullName, Transport = HostTransport.Local, NginxSitesDirectory = sites, NginxConfig = Path.Combine(_root.FullName, "no-such-nginx.conf"),
        };

        var (outcome, log) = await ProvisionAsync(host);

        outcome.Succeeded.ShouldBeFalse(log);
        log.ShouldContain("ERR write the nginx site");
        log.ShouldContain("ok  undo: write the nginx site");
        Directory.EnumerateFileSystemEntries(sites).ShouldBeEmpty();
        File.ReadAllText(Path.Combine(_root.FullName, "acme", "deploys.jsonl")).ShouldContain("\"outcome\":\"rolled-back\"");
    }

    public void Dispose() => _root.Delete(recursive: true);
}
