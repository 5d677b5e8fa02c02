using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.Tests.Planning;

/// <summary>One configuration for the planner tests: a host behind nginx with two tenants, and a host without a proxy.</summary>
internal static class PlanningFixture
{
    public const string Yaml = """
        releases_kept: 3
        hosts:
          web-1:
            address: 127.0.0.1
            root: /srv/storage
            service_manager: process
            nginx_config: /etc/nginx/test.conf
          plain:
            address: 127.0.0.1
            root: /srv/plain
            service_manager: process
            proxy: none
        environments:
          production:
            tenants:
              acme:
                hosts: [web-1]
                port: 8200
                slot_ports: [8201, 8202]
                env: { ENVIRONMENT: production, TENANT_ID: acme }
                secrets: { ADMIN_API_KEY: ACME_ADMIN, SIGNING_KEY: ACME_SIGNING }
              globex:
                hosts: [web-1]
                port: 8300
                slot_ports: [8301, 8302]
              solo:
                hosts: [plain]
                port: 8400
            rings: [[acme], [globex, solo]]
        """;

    public static readonly DeployConfig Config = DeployConfigLoader.Parse(Yaml, "storagectl.yml");
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static HostState Running(string version, Slot active, params string[] releases) =>
        HostState.Empty with { CurrentVersion = version, ActiveSlot = active, Releases = releases.Length == 0 ? [version] : releases };
}
