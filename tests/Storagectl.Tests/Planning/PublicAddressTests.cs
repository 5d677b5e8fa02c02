using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.Tests.Planning;

/// <summary>
/// How a tenant's signed links learn the address clients use: its public_url becomes PUBLIC_BASE_URL in shared/.env,
/// (the nginx site's exact text, which forwards the client's Host with its port and the scheme, is checked in SocketSwitchTests).
/// </summary>
public sealed class PublicAddressTests
{
    private const string Yaml = """
        hosts:
          web-1:
            address: 127.0.0.1
            root: /srv/storage
            service_manager: process
        environments:
          production:
            tenants:
              acme:
                hosts: [web-1]
                port: 8200
                slot_ports: [8201, 8202]
                public_url: https://files.acme.example/
              globex:
                hosts: [web-1]
                port: 8300
                slot_ports: [8301, 8302]
        """;

    private static readonly DeployConfig Config = DeployConfigLoader.Parse(Yaml, "storagectl.yml");

    [Fact]
    public void A_tenants_public_url_is_written_as_public_base_url_and_a_tenant_without_one_gets_none()
    {
        var tenants = Config.Environment("production").Tenants;

        var acme = DeployPlanner.EnvFile(tenants["acme"], new TenantPaths("/srv/storage", "acme"), new Dictionary<string, string>());
        var globex = DeployPlanner.EnvFile(tenants["globex"], new TenantPaths("/srv/storage", "globex"), new Dictionary<string, string>());

        acme.ShouldBe(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["DATABASE_URL"] = "sqlite:////srv/storage/acme/shared/data/storage.db",
            ["PUBLIC_BASE_URL"] = "https://files.acme.example",
            ["STORAGE_DATA_DIR"] = "/srv/storage/acme/shared/data",
            ["TENANT_ID"] = "acme",
        });
        globex.ContainsKey("PUBLIC_BASE_URL").ShouldBeFalse();
    }

    [Theory]
    [InlineData("files.acme.example")]
    [InlineData("ftp://files.acme.example")]
    [InlineData("https://files.acme.example/?tenant=acme")]
    [InlineData("https://admin:pw@files.acme.example")]
    public void A_public_url_that_is_not_a_plain_http_address_is_refused_with_its_line(string value)
    {
        var error = Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(Yaml.Replace("https://files.acme.example/", value), "storagectl.yml"));

        error.Message.ShouldStartWith($"storagectl.yml:13: environments.production.tenants.acme.public_url: must be an absolute http:// or https:// URL");
    }

    [Fact]
    public void Public_base_url_under_env_is_refused_in_favour_of_public_url()
    {
        var yaml = Yaml.Replace("        port: 8300\n", "        port: 8300\n        env: { PUBLIC_BASE_URL: https://files.globex.example }\n");

        var error = Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(yaml, "storagectl.yml"));

        error.Message.ShouldContain("env.PUBLIC_BASE_URL: is written from the tenant's public_url; set public_url instead");
    }
}
