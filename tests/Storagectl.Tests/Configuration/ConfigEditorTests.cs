using Storagectl.Configuration;

namespace Storagectl.Tests.Configuration;

/// <summary>
/// ConfigEditor splices tenants into deploy/storagectl.yml as text: what it adds reads like its siblings, and every
/// other byte (comments, blank lines, order, flow or block style) stays as it was. Every result loads with the loader.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]  // file modes
public sealed class ConfigEditorTests
{
    private static readonly string DeployFile = File.ReadAllText(RepositoryRoot.Combine("deploy", "storagectl.yml"));
    private static readonly string ReferenceFile = File.ReadAllText(RepositoryRoot.Combine("docs", "storagectl.reference.yml"));

    private static NewTenant Hooli(string host = "prod-2", int port = 8500, string? publicUrl = "https://files.hooli.example") => new(
        "hooli", [host], port, [port + 1, port + 2],
        [new("ENVIRONMENT", "production"), new("TENANT_ID", "hooli")],
        [new("ADMIN_API_KEY", "HOOLI_ADMIN_API_KEY"), new("SIGNING_KEY", "HOOLI_SIGNING_KEY")],
        publicUrl);

    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    /// <summary>The e2e fleet's layout: flow maps for env and secrets, rings as one flow list.</summary>
    private const string FleetYaml = """
        ssh_config: /tmp/e2e/ssh_config
        hosts:
          host-a:
            address: host-a
            root: /tmp/e2e/a
            service_manager: process
          host-b:
            address: host-b
            root: /tmp/e2e/b
            service_manager: process
        environments:
          production:
            tenants:
              acme:
                hosts: [host-a]
                port: 21000
                slot_ports: [21001, 21002]
                env: { ENVIRONMENT: production, TENANT_ID: acme, RATE_LIMIT_REQUESTS_PER_MINUTE: 1000000 }
                secrets: { ADMIN_API_KEY: ACME_ADMIN_API_KEY, SIGNING_KEY: ACME_SIGNING_KEY }
              globex:
                hosts: [host-b]
                port: 21100
                slot_ports: [21101, 21102]
                env: { ENVIRONMENT: production, TENANT_ID: globex, RATE_LIMIT_REQUESTS_PER_MINUTE: 1000000 }
                secrets: { ADMIN_API_KEY: GLOBEX_ADMIN_API_KEY, SIGNING_KEY: GLOBEX_SIGNING_KEY }
            rings: [[acme], [globex]]

        """;

    [Fact]
    public void A_tenant_added_to_the_deploy_file_reads_like_its_siblings_and_nothing_else_changes()
    {
        var result = ConfigEditor.AddTenant(DeployFile, "production", Hooli(), ring: 2);

        const string initechEnd = "          SIGNING_KEY: INITECH_SIGNING_KEY\n";
        result.ShouldBe(DeployFile
            .Replace(initechEnd, initechEnd + Lines(
                "      hooli:",
                "        hosts: [prod-2]",
                "        port: 8500",
                "        public_url: https://files.hooli.example",
                "        slot_ports: [8501, 8502]",
                "        env:",
                "          ENVIRONMENT: production",
                "          TENANT_ID: hooli",
                "        secrets:",
                "          ADMIN_API_KEY: HOOLI_ADMIN_API_KEY",
                "          SIGNING_KEY: HOOLI_SIGNING_KEY"))
            .Replace("      - [globex, initech]", "      - [globex, initech, hooli]"));
        var config = DeployConfigLoader.Parse(result, "storagectl.yml");
        config.Environment("production").Rings[1].ShouldBe(["globex", "initech", "hooli"]);
        config.Environment("production").Tenants["hooli"].PublicUrl.ShouldBe("https://files.hooli.example");
    }

    [Fact]
    public void In_the_fleet_layout_the_new_tenant_gets_flow_maps_and_joins_the_last_ring_by_default()
    {
        var tenant = Hooli("host-a", 21200, publicUrl: null) with
        {
            Env = [new("ENVIRONMENT", "production"), new("TENANT_ID", "hooli"), new("BACKUP_URL", "s3://backups/hooli?x=1, y")],
        };

        var result = ConfigEditor.AddTenant(FleetYaml, "production", tenant, ring: null);

        const string globexEnd = "secrets: { ADMIN_API_KEY: GLOBEX_ADMIN_API_KEY, SIGNING_KEY: GLOBEX_SIGNING_KEY }\n";
        result.ShouldBe(FleetYaml
            .Replace(globexEnd, globexEnd + Lines(
                "      hooli:",
                "        hosts: [host-a]",
                "        port: 21200",
                "        slot_ports: [21201, 21202]",
                "        env: { ENVIRONMENT: production, TENANT_ID: hooli, BACKUP_URL: \"s3://backups/hooli?x=1, y\" }",
                "        secrets: { ADMIN_API_KEY: HOOLI_ADMIN_API_KEY, SIGNING_KEY: HOOLI_SIGNING_KEY }"))
            .Replace("rings: [[acme], [globex]]", "rings: [[acme], [globex, hooli]]"));
        DeployConfigLoader.Parse(result, "storagectl.yml").Environment("production").Tenants["hooli"].Env["BACKUP_URL"].ShouldBe("s3://backups/hooli?x=1, y");
    }

    [Fact]
    public void A_sibling_with_block_lists_and_comments_gives_block_lists_and_its_comments_stay_where_they_were()
    {
        var yaml = FleetYaml.Replace(Lines(
            "      globex:",
            "        hosts: [host-b]",
            "        port: 21100",
            "        slot_ports: [21101, 21102]",
            "        env: { ENVIRONMENT: production, TENANT_ID: globex, RATE_LIMIT_REQUESTS_PER_MINUTE: 1000000 }",
            "        secrets: { ADMIN_API_KEY: GLOBEX_ADMIN_API_KEY, SIGNING_KEY: GLOBEX_SIGNING_KEY }"), Lines(
            "      globex:   # the second customer",
            "         hosts:",
            "            - host-b",
            "         port: 21100   # nginx",
            "         slot_ports:",
            "            - 21101",
            "            - 21102",
            "         # plain variables",
            "         env:",
            "             ENVIRONMENT: production",
            "             TENANT_ID: globex",
            "      # between the tenants and the rings"));
        yaml.ShouldContain("# the second customer");

        var result = ConfigEditor.AddTenant(yaml, "production", Hooli("host-b", 21200, null), ring: 1);

        result.ShouldBe(yaml
            .Replace("             TENANT_ID: globex\n", Lines(
                "             TENANT_ID: globex",
                "      hooli:",
                "         hosts:",
                "            - host-b",
                "         port: 21200",
                "         slot_ports:",
                "            - 21201",
                "            - 21202",
                "         env:",
                "             ENVIRONMENT: production",
                "             TENANT_ID: hooli",
                "         secrets:",
                "             ADMIN_API_KEY: HOOLI_ADMIN_API_KEY",
                "             SIGNING_KEY: HOOLI_SIGNING_KEY"))
            .Replace("rings: [[acme], [globex]]", "rings: [[acme, hooli], [globex]]"));
    }

    [Fact]
    public void Adding_then_removing_gives_back_every_byte_of_the_deploy_file_the_reference_and_the_fleet_layout()
    {
        foreach (var (yaml, environment, host) in new[] { (DeployFile, "production", "prod-1"), (ReferenceFile, "production", "web-1"), (FleetYaml, "production", "host-b") })
        {
            var added = ConfigEditor.AddTenant(yaml, environment, Hooli(host), ring: 1);
            added.ShouldNotBe(yaml);
            ConfigEditor.RemoveTenant(added, environment, "hooli").ShouldBe(yaml);
        }
    }

    [Fact]
    public void A_file_with_crlf_lines_keeps_them_and_one_without_a_final_newline_gets_one_only_where_text_is_added()
    {
        var crlf = DeployFile.Replace("\n", "\r\n");
        var added = ConfigEditor.AddTenant(crlf, "production", Hooli(), ring: 2);
        added.Replace("\r\n", "").ShouldNotContain("\n");
        ConfigEditor.RemoveTenant(added, "production", "hooli").ShouldBe(crlf);

        var noFinalNewline = FleetYaml.Replace("    rings: [[acme], [globex]]\n", "").TrimEnd('\n');
        var result = ConfigEditor.AddTenant(noFinalNewline, "production", Hooli("host-a", 21200, null), ring: null);
        result.ShouldStartWith(noFinalNewline + "\n      hooli:\n");
        DeployConfigLoader.Parse(result, "storagectl.yml").Environment("production").Tenants.Keys.ShouldBe(["acme", "globex", "hooli"]);
    }

    [Fact]
    public void Removing_a_tenant_takes_its_lines_and_its_ring_entry_and_an_emptied_ring_goes_too_keeping_comments()
    {
        var withoutGlobex = ConfigEditor.RemoveTenant(DeployFile, "production", "globex");
        withoutGlobex.ShouldNotContain("globex");
        withoutGlobex.ShouldContain("      - [initech]\n");
        withoutGlobex.ShouldContain("    # acme is the canary customer: it gets a release before the others.\n");

        var withoutAcme = ConfigEditor.RemoveTenant(DeployFile, "production", "acme");
        withoutAcme.ShouldBe(DeployFile
            .Replace(DeployFile[DeployFile.IndexOf("      acme:\n")..DeployFile.IndexOf("      globex:\n")], "")
            .Replace("      - [acme]\n", ""));
        DeployConfigLoader.Parse(withoutAcme, "storagectl.yml").Environment("production").Rings.ShouldBe([["globex", "initech"]]);

        ConfigEditor.RemoveTenant(FleetYaml, "production", "acme").ShouldContain("rings: [[globex]]");
        var three = ConfigEditor.AddTenant(FleetYaml, "production", Hooli("host-a", 21200, null), ring: 2);
        ConfigEditor.RemoveTenant(three, "production", "globex").ShouldContain("rings: [[acme], [hooli]]");
    }

    [Fact]
    public void Placement_changes_only_hosts_and_ports_in_their_own_style()
    {
        var moved = ConfigEditor.SetTenantPlacement(DeployFile, "production", "initech", ["prod-1"], 8600, [8601, 8602]);

        moved.ShouldBe(DeployFile.Replace(Lines(
            "        hosts: [prod-2]",
            "        port: 8400",
            "        public_url: http://prod-2.storage.example.net:8400",
            "        slot_ports: [8401, 8402]"), Lines(
            "        hosts: [prod-1]",
            "        port: 8600",
            "        public_url: http://prod-2.storage.example.net:8400",
            "        slot_ports: [8601, 8602]")));

        var block = FleetYaml.Replace("    hosts: [host-b]\n", "    hosts:\n          - host-b\n");
        ConfigEditor.SetTenantPlacement(block, "production", "globex", ["host-a", "host-b"])
            .ShouldBe(block.Replace("    hosts:\n          - host-b\n", "    hosts:\n          - host-a\n          - host-b\n"));
    }

    [Fact]
    public void Refusals_are_one_line_and_name_what_is_wrong()
    {
        string Refusal(Func<string> edit)
        {
            var message = Should.Throw<ConfigException>(edit).Message;
            message.ShouldNotContain("\n");
            return message;
        }

        Refusal(() => ConfigEditor.AddTenant(DeployFile, "production", Hooli() with { Name = "acme" }, null)).ShouldContain("production already has a tenant 'acme'");
        Refusal(() => ConfigEditor.AddTenant(DeployFile, "prod", Hooli(), null)).ShouldContain("no environment 'prod' (known: staging, production)");
        Refusal(() => ConfigEditor.AddTenant(DeployFile, "production", Hooli("prod-9"), null)).ShouldContain("no host 'prod-9' under hosts (known: staging-1, prod-1, prod-2)");
        Refusal(() => ConfigEditor.AddTenant(DeployFile, "production", Hooli(), 3)).ShouldContain("production has rings 1 to 2; there is no ring 3");
        Refusal(() => ConfigEditor.AddTenant(DeployFile, "production", Hooli(), 0)).ShouldContain("there is no ring 0");
        Refusal(() => ConfigEditor.AddTenant(DeployFile, "staging", Hooli("staging-1"), 2)).ShouldContain("staging has no rings");
        Refusal(() => ConfigEditor.AddTenant(DeployFile, "production", Hooli() with { Name = "Hooli_Inc" }, null)).ShouldContain("must be lower-case letters, digits and dashes");
        Refusal(() => ConfigEditor.RemoveTenant(DeployFile, "staging", "staging")).ShouldContain("the only tenant of staging");
        Refusal(() => ConfigEditor.RemoveTenant(DeployFile, "production", "hooli")).ShouldContain("production has no tenant 'hooli'");
        Refusal(() => ConfigEditor.SetTenantPlacement(DeployFile, "production", "acme", ["nowhere"])).ShouldContain("no host 'nowhere'");
        // A port another tenant of the host uses: the loader's own check, as one line.
        Refusal(() => ConfigEditor.AddTenant(DeployFile, "production", Hooli(port: 8400), null)).ShouldContain("both use port 8400 on host prod-2");
    }

    [Fact]
    public void The_file_is_replaced_atomically_keeping_its_mode_and_a_new_one_can_be_private()
    {
        var folder = Directory.CreateTempSubdirectory("config-file-");
        try
        {
            var file = Path.Combine(folder.FullName, "storagectl.yml");
            File.WriteAllText(file, "old");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            ConfigFile.WriteAtomically(file, "new");
            File.ReadAllText(file).ShouldBe("new");
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

            var secrets = Path.Combine(folder.FullName, "sub", "secrets.env");
            ConfigFile.WriteAtomically(secrets, "A=b\n", privateWhenNew: true);
            File.GetUnixFileMode(secrets).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Directory.GetFiles(folder.FullName, "*.tmp", SearchOption.AllDirectories).ShouldBeEmpty();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
