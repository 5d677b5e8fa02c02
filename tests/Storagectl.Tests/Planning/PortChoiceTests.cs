using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.Tests.Planning;

/// <summary>A new tenant's ports: free on its host in every environment and not listened on there, next to the tenants' own.</summary>
public sealed class PortChoiceTests
{
    private static readonly DeployConfig Config = DeployConfigLoader.Parse(File.ReadAllText(RepositoryRoot.Combine("deploy", "storagectl.yml")), "storagectl.yml");

    [Fact]
    public void The_next_hundred_above_the_hosts_tenants_with_the_slots_after_it()
    {
        PortChoice.ForNewTenant(Config, Config.Hosts["prod-2"], null, new HashSet<int>()).ShouldPick(8500, [8501, 8502]);
        // prod-1 has only acme (8200): 8300 is globex's on prod-2, which does not matter on prod-1.
        PortChoice.ForNewTenant(Config, Config.Hosts["prod-1"], null, new HashSet<int>()).ShouldPick(8300, [8301, 8302]);
    }

    [Fact]
    public void A_port_something_listens_on_or_another_environment_uses_is_skipped()
    {
        PortChoice.ForNewTenant(Config, Config.Hosts["prod-2"], null, new HashSet<int> { 8502 }).ShouldPick(8600, [8601, 8602]);
        var shared = Config with { Hosts = Config.Hosts, Environments = Config.Environments };
        var staging = Config.Environment("staging").Tenants["staging"] with { Hosts = ["prod-2"], Port = 8500, SlotPorts = [8501, 8502] };
        var withStaging = shared with { Environments = new Dictionary<string, EnvironmentConfig>(Config.Environments)
            { ["staging"] = Config.Environment("staging") with { Tenants = new Dictionary<string, TenantConfig> { ["staging"] = staging } } } };
        PortChoice.ForNewTenant(withStaging, withStaging.Hosts["prod-2"], null, new HashSet<int>()).ShouldPick(8600, [8601, 8602]);
    }

    [Fact]
    public void A_port_asked_for_gets_the_next_free_slots_and_a_taken_one_is_refused_naming_its_user()
    {
        PortChoice.ForNewTenant(Config, Config.Hosts["prod-2"], 9000, new HashSet<int> { 9001 }).ShouldPick(9000, [9002, 9003]);
        Should.Throw<ConfigException>(() => PortChoice.ForNewTenant(Config, Config.Hosts["prod-2"], 8401, new HashSet<int>()))
            .Message.ShouldBe("port 8401 is taken on host prod-2: production/initech uses it");
        Should.Throw<ConfigException>(() => PortChoice.ForNewTenant(Config, Config.Hosts["prod-2"], 22, new HashSet<int> { 22 }))
            .Message.ShouldBe("port 22 is taken on host prod-2: something listens on it there");
    }

    [Fact]
    public void A_host_without_a_proxy_gets_no_slots() =>
        PortChoice.ForNewTenant(Config, Config.Hosts["prod-2"] with { Proxy = ProxyKind.None }, null, new HashSet<int>()).ShouldPick(8500, []);

    [Fact]
    public void Listening_ports_are_read_as_proc_net_tcp_has_them() =>
        PortChoice.ParseListening("0016\n0035\n2008\n206D\n").OrderBy(p => p).ShouldBe([22, 53, 8200, 8301]);
}

internal static class PortChoiceAssertions
{
    public static void ShouldPick(this TenantPorts choice, int port, int[] slots)
    {
        choice.Port.ShouldBe(port);
        choice.SlotPorts.ShouldBe(slots);
    }
}
