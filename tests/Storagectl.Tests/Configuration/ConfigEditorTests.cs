using Storagectl.Configuration;
using Storagectl.Tests.Workflows;

namespace Storagectl.Tests.Configuration;

/// <summary>Restore and remove edit deploy/storagectl.yml as text: comments and layout stay, the result loads.</summary>
public sealed class ConfigEditorTests
{
    private static readonly string Repository = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "deploy", "storagectl.yml"));

    [Fact]
    public void Placing_a_tenant_on_another_host_changes_its_hosts_and_ports_and_nothing_else()
    {
        var edited = ConfigEditor.SetTenantPlacement(Repository, "production", "acme", ["prod-2"], 8500, [8501, 8502]);

        var acme = DeployConfigLoader.Parse(edited, "storagectl.yml").Environment("production").Tenants["acme"];
        acme.Hosts.ShouldBe(["prod-2"]);
        acme.Port.ShouldBe(8500);
        acme.SlotPorts.ShouldBe([8501, 8502]);
        var changed = Repository.Split('\n').Zip(edited.Split('\n')).Where(p => p.First != p.Second).ToList();
        changed.Count.ShouldBe(3);
        edited.ShouldContain("# acme is the canary customer");
        ConfigEditor.SetTenantPlacement(Repository, "production", "acme", ["prod-2"]).ShouldContain("        hosts: [prod-2]\n        port: 8200\n");
    }

    [Fact]
    public void Removing_a_tenant_drops_its_block_and_its_ring_entries_keeping_every_comment()
    {
        var withoutAcme = ConfigEditor.RemoveTenant(Repository, "production", "acme");
        var production = DeployConfigLoader.Parse(withoutAcme, "storagectl.yml").Environment("production");
        production.Tenants.Keys.ShouldBe(["globex", "initech"]);
        production.Rings.Select(r => string.Join(",", r)).ShouldBe(["globex,initech"]);
        withoutAcme.ShouldContain("# acme is the canary customer");
        withoutAcme.ShouldNotContain("ACME_SIGNING_KEY");

        var withoutGlobex = ConfigEditor.RemoveTenant(Repository, "production", "globex");
        DeployConfigLoader.Parse(withoutGlobex, "storagectl.yml").Environment("production").Rings.Select(r => string.Join(",", r)).ShouldBe(["acme", "initech"]);
        var flow = "environments:\n  production:\n    tenants:\n      acme: { hosts: [h], port: 1 }\n      acme2:\n        hosts: [h]\n    rings: [[acme, acme2]]\n";
        ConfigEditor.RemoveTenant(flow, "production", "acme").ShouldBe("environments:\n  production:\n    tenants:\n      acme2:\n        hosts: [h]\n    rings: [[acme2]]\n");
        Should.Throw<ConfigException>(() => ConfigEditor.RemoveTenant(Repository, "production", "nobody"));
    }
}
