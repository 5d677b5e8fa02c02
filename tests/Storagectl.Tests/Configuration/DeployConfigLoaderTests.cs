using Storagectl.Configuration;

namespace Storagectl.Tests.Configuration;

/// <summary>deploy/storagectl.yml: the real file loads, and every mistake is named with file, line and key.</summary>
public sealed class DeployConfigLoaderTests
{
    private const string Valid = """
        hosts:
          web-1:
            address: 127.0.0.1
            port: 2222
            root: /srv/storage
            service_manager: process
        environments:
          production:
            tags: v*
            tenants:
              acme:
                hosts: [web-1]
                port: 8200
                slot_ports: [8201, 8202]
                env:
                  ENVIRONMENT: production
                  TENANT_ID: acme
                secrets:
                  ADMIN_API_KEY: ACME_ADMIN_API_KEY
              globex:
                hosts: [web-1]
                port: 8300
                slot_ports: [8301, 8302]
            rings:
              - [acme]
              - [globex]
        """;

    [Fact]
    public void The_repository_deploy_file_is_valid()
    {
        var config = DeployConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "deploy", "storagectl.yml"));

        config.Environments.Keys.ShouldBe(["staging", "production"], ignoreOrder: true);
        config.Environment("staging").Branch.ShouldBe("dev");
        config.Environment("staging").AutoDeploy.ShouldBeTrue();
        config.Environment("production").AutoDeploy.ShouldBeFalse();
        config.Environment("production").Rings.Select(r => string.Join(",", r)).ShouldBe(["acme", "globex,initech"]);
        config.Environment("production").Tenants["acme"].Secrets["SIGNING_KEY"].ShouldBe("ACME_SIGNING_KEY");
        config.Environment("production").Tenants["acme"].PublicUrl.ShouldBe("http://prod-1.storage.example.net:8200");
        config.Environment("production").PromoteFrom.ShouldBe("staging");
        config.Environment("staging").PromoteFrom.ShouldBeNull();
    }

    /// <summary>Production gains a staging environment to promote from; the line numbers of the errors are this yaml's.</summary>
    private static string Promoting(string from) => Valid.Replace("  production:\n    tags: v*\n", $$"""
          staging:
            tenants:
              stage: { hosts: [web-1], port: 8100, slot_ports: [8101, 8102] }
          production:
            promote_from: {{from}}
            tags: v*

        """);

    [Fact]
    public void Promote_from_names_another_environment()
    {
        var config = DeployConfigLoader.Parse(Promoting("staging"), "f.yml");

        config.Environment("production").PromoteFrom.ShouldBe("staging");
        config.Environment("staging").PromoteFrom.ShouldBeNull();
    }

    [Theory]
    [InlineData("stagin", "f.yml:12: environments.production.promote_from: names 'stagin', which is not an environment (known: staging, production)")]
    [InlineData("production", "f.yml:12: environments.production.promote_from: names production itself: an environment promotes what another one ran")]
    public void Promote_from_an_unknown_environment_or_itself_is_one_clear_line(string from, string expected)
    {
        var error = Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(Promoting(from), "f.yml"));

        error.Message.ShouldBe(expected);
    }

    [Fact]
    public void Defaults_fill_what_is_left_out()
    {
        var config = DeployConfigLoader.Parse(Valid, "storagectl.yml");

        config.ReleasesKept.ShouldBe(5);
        config.Health.ShouldBe(new HealthSettings("/health", 5, 150, 0.2, 2, 10, 0.01));
        config.RollbackWindowSeconds.ShouldBe(600);
        config.Lock.StaleAfterMinutes.ShouldBe(30);
        var host = config.Hosts["web-1"];
        host.Port.ShouldBe(2222);
        host.Transport.ShouldBe(HostTransport.Ssh);
        host.ServiceManager.ShouldBe(ServiceManager.Process);
        host.Proxy.ShouldBe(ProxyKind.Nginx);
        host.Strategy.ShouldBe(DeployStrategy.BlueGreen);
        config.Environment("production").Tenants["acme"].SlotPorts.ShouldBe([8201, 8202]);
    }

    [Fact]
    public void Without_rings_all_tenants_form_one_ring()
    {
        var config = DeployConfigLoader.Parse(Valid.Replace("    rings:\n      - [acme]\n      - [globex]", ""), "f.yml");

        config.Environment("production").Rings.ShouldHaveSingleItem().ShouldBe(["acme", "globex"], ignoreOrder: true);
    }

    [Fact]
    public void Every_error_is_reported_at_once_with_file_line_and_key()
    {
        const string yaml = """
            hosts:
              web-1:
                adress: 127.0.0.1
                root: srv/storage
                proxy: apache
            environments:
              production:
                tenants:
                  acme:
                    hosts: [web-1, web-2]
                    port: 99999
                    slot_ports: [8201, 8201]
                    env:
                      STORAGE_DATA_DIR: /tmp/data
                      TENANT_ID: globex
                      OPENAI_API_KEY: sk-live
                    secrets:
                      SIGNING_KEY: acme-signing
                rings:
                  - [acme, nobody]
            """;

        var error = Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(yaml, "deploy/storagectl.yml"));

        var lines = error.Message.Split('\n');
        lines.ShouldContain("deploy/storagectl.yml:2: hosts.web-1.address: is required");
        lines.ShouldContain("deploy/storagectl.yml:3: hosts.web-1.adress: is not a known key (did you mean 'address'?)");
        lines.ShouldContain("deploy/storagectl.yml:4: hosts.web-1.root: must be an absolute path, not 'srv/storage'");
        lines.ShouldContain("deploy/storagectl.yml:5: hosts.web-1.proxy: must be one of nginx, none, not 'apache'");
        lines.ShouldContain("deploy/storagectl.yml:10: environments.production.tenants.acme.hosts: names 'web-2', which is not under hosts");
        lines.ShouldContain(l => l.StartsWith("deploy/storagectl.yml:11: environments.production.tenants.acme.port: must be a whole number"));
        lines.ShouldContain(l => l.StartsWith("deploy/storagectl.yml:12: environments.production.tenants.acme.slot_ports:"));
        lines.ShouldContain(l => l.StartsWith("deploy/storagectl.yml:14: environments.production.tenants.acme.env.STORAGE_DATA_DIR: is set by storagectl"));
        lines.ShouldContain(l => l.StartsWith("deploy/storagectl.yml:15: environments.production.tenants.acme.env.TENANT_ID: is 'globex' but the tenant is 'acme'"));
        lines.ShouldContain(l => l.StartsWith("deploy/storagectl.yml:16: environments.production.tenants.acme.env.OPENAI_API_KEY: looks like a secret"));
        lines.ShouldContain(l => l.StartsWith("deploy/storagectl.yml:18: environments.production.tenants.acme.secrets.SIGNING_KEY: must name the variable"));
        lines.ShouldContain(l => l.StartsWith("deploy/storagectl.yml:19: environments.production.rings: names 'nobody'"));
        lines.Length.ShouldBe(12, error.Message);
    }

    [Theory]
    [InlineData("health", "must start with '/', not 'health'")]
    [InlineData("/health now", "must be a URL path (letters, digits and -._~!$&()*+,;=:@%/?), not '/health now'")]
    [InlineData("/health'; rm -rf /'", "must be a URL path")]
    public void The_health_path_is_a_url_path(string path, string expected)
    {
        var yaml = "health:\n  path: \"" + path + "\"\n" + Valid;

        var error = Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(yaml, "f.yml"));

        error.Message.ShouldContain("health.path: " + expected);
    }

    [Fact]
    public void Two_tenants_on_one_host_may_not_share_a_port()
    {
        var yaml = Valid.Replace("port: 8300", "port: 8201");

        var error = Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(yaml, "f.yml"));

        error.Message.ShouldContain("production/globex and production/acme both use port 8201 on host web-1");
    }

    [Fact]
    public void A_password_inside_a_database_url_must_be_a_secret()
    {
        var yaml = Valid.Replace("TENANT_ID: acme", "TENANT_ID: acme\n          DATABASE_URL: postgresql://acme:hunter2@db:5432/acme");

        var error = Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(yaml, "f.yml"));

        error.Message.ShouldContain("env.DATABASE_URL: holds a password");
        error.Message.ShouldNotContain("hunter2");
    }

    [Theory]
    [InlineData("hosts: [", "f.yml:2: not valid YAML")]
    [InlineData("- just\n- a list", "f.yml:1: the file must be a mapping")]
    [InlineData("hosts: {}\n", "f.yml:1: environments: is required")]
    public void A_broken_file_is_one_clear_error(string yaml, string expected)
    {
        Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(yaml, "f.yml")).Message.ShouldStartWith(expected);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        Should.Throw<ConfigException>(() => DeployConfigLoader.Load("/nonexistent/storagectl.yml"))
            .Message.ShouldBe("/nonexistent/storagectl.yml: no such file");
    }
}
