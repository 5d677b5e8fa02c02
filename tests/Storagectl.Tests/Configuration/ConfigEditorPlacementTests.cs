using Storagectl.Configuration;

namespace Storagectl.Tests.Configuration;

/// <summary>A move writes the tenant's new host and ports into deploy/storagectl.yml as text: every other line, comment and indent stays.</summary>
public sealed class ConfigEditorPlacementTests
{
    [Fact]
    public void The_tenants_hosts_and_ports_change_in_place_and_nothing_else_does()
    {
        var yaml = File.ReadAllText(Workflows.RepositoryFiles.PathOf("deploy", "storagectl.yml"));

        var edited = ConfigEditor.SetTenantPlacement(yaml, "production", "acme", ["prod-2"], 8500, [8501, 8502]);

        var config = DeployConfigLoader.Parse(edited, "storagectl.yml");
        var acme = config.Environment("production").Tenants["acme"];
        (acme.Hosts.Single(), acme.Port).ShouldBe(("prod-2", 8500));
        acme.SlotPorts.ShouldBe([8501, 8502]);
        config.Environment("production").Tenants["globex"].Port.ShouldBe(8300);
        var (before, after) = (yaml.Split('\n'), edited.Split('\n'));
        after.Length.ShouldBe(before.Length);
        before.Zip(after).Where(p => p.First != p.Second).Select(p => p.Second.Trim()).ShouldBe(["hosts: [prod-2]", "port: 8500", "slot_ports: [8501, 8502]"]);
    }

    [Fact]
    public void A_block_list_and_a_trailing_comment_are_handled_and_the_same_tenant_in_another_environment_is_left_alone()
    {
        const string Yaml = """
            hosts:
              a: { address: a, root: /srv }
              b: { address: b, root: /srv }
            environments:
              staging:
                tenants:
                  acme:
                    hosts: [a]
                    port: 9000
                    slot_ports: [9001, 9002]
              production:
                tenants:
                  acme:   # the canary
                    hosts:
                      - a
                    port: 8200   # nginx
                    slot_ports: [8201, 8202]
            """;

        var edited = ConfigEditor.SetTenantPlacement(Yaml, "production", "acme", ["b"], 8300, [8301, 8302]);

        edited.ShouldContain("        port: 8300   # nginx");
        edited.ShouldContain("  acme:   # the canary\n        hosts: [b]\n        port: 8300");
        var config = DeployConfigLoader.Parse(edited, "storagectl.yml");
        config.Environment("production").Tenants["acme"].Hosts.ShouldBe(["b"]);
        config.Environment("staging").Tenants["acme"].Port.ShouldBe(9000);
        Should.Throw<ConfigException>(() => ConfigEditor.SetTenantPlacement(Yaml, "production", "nobody", ["b"])).Message.ShouldContain("tenants > nobody");
    }
}
