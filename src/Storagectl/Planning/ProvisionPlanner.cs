using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>
/// `storagectl provision`: what a host needs before its first deploy, as steps that are safe to run again: the tenant
/// folders, the service user and systemd template unit (or nothing, for plain processes), and the nginx site that proxies
/// through the active socket link. An existing link is kept, so provisioning a live host does not move traffic.
/// </summary>
public static class ProvisionPlanner
{
    public const string ServiceUser = "storage";

    public static IReadOnlyList<(string Target, HostConfig Host, IReadOnlyList<RunStep> Steps)> Plan(DeployConfig config, EnvironmentConfig environment, string? onlyHost)
    {
        var result = new List<(string, HostConfig, IReadOnlyList<RunStep>)>();
        foreach (var tenant in environment.Tenants.Values)
        foreach (var host in tenant.Hosts.Select(h => config.Hosts[h]).Where(h => onlyHost is null || h.Name == onlyHost))
        {
            var paths = new TenantPaths(host.Root, tenant.Name);
            var steps = new List<RunStep>
            {
                new("create the tenant folders",
                    $"mkdir -p {string.Join(' ', new[] { paths.Releases, paths.Data, paths.Backups, paths.Logs, paths.Uploads, paths.Slots, paths.Run }.Select(Shell.Quote))}" +
                    $" && chmod 700 {Shell.Quote(paths.Shared)}"),
            };
            if (host.ServiceManager == ServiceManager.Systemd)
            {
                steps.Add(new RunStep("create the service user",
                    $"id -u {ServiceUser} >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin {ServiceUser}; chown -R {ServiceUser}: {Shell.Quote(paths.Shared)} {Shell.Quote(paths.Run)}"));
                steps.Add(new RunStep($"install the unit {ServiceCommands.UnitName(tenant.Name, Slot.Blue).Replace("@blue", "@")}",
                    $"cat > /etc/systemd/system/{ServiceCommands.UnitName(tenant.Name, Slot.Blue).Replace("@blue", "@")} && systemctl daemon-reload", SystemdUnit(config, paths))
                    { InputSummary = "the systemd template unit" });
            }
            if (host.Proxy == ProxyKind.Nginx)
            {
                var site = ProxyCommands.SitePath(host, tenant);
                steps.Add(new RunStep("keep or create the active socket link", ProxyCommands.KeepOrCreateActiveSocket(paths)));
                // Provision reloads nginx to load the site (switches never do); the upstream include of older sites goes with it.
                steps.Add(new RunStep($"write the nginx site {site}",
                    $"mkdir -p {Shell.Quote(host.NginxSitesDirectory)} && cat > {Shell.Quote(site)} && nginx -t -q -c {Shell.Quote(host.NginxConfig)}" +
                    $" && {{ nginx -s reload -c {Shell.Quote(host.NginxConfig)} 2>/dev/null || echo 'nginx is not running; start it to serve the site'; }}" +
                    $" && rm -rf {Shell.Quote(paths.Root + "/nginx")}",
                    ProxyCommands.Site(tenant, paths)) { InputSummary = "the nginx site" });
            }
            result.Add(($"{tenant.Name}@{host.Name}", host, steps));
        }
        return result;
    }

    /// <summary>One template per tenant; the instance is the slot, so blue and green run side by side.</summary>
    public static string SystemdUnit(DeployConfig config, TenantPaths paths) => $"""
        [Unit]
        Description={config.Service.Name} for {paths.Tenant} (%i slot)
        After=network-online.target

        [Service]
        User={ServiceUser}
        WorkingDirectory={paths.Shared}
        EnvironmentFile={paths.Shared}/slot-%i.env
        # A socket file left by a crash would make the bind fail.
        ExecStartPre=/bin/rm -f {paths.Run}/%i.sock
        ExecStart={paths.Slots}/%i/{config.Service.Executable}
        UMask=0077
        Restart=on-failure
        RestartSec=2
        KillSignal=SIGTERM
        TimeoutStopSec=30
        NoNewPrivileges=true
        ProtectSystem=strict
        ReadWritePaths={paths.Shared} {paths.Run}

        [Install]
        WantedBy=multi-user.target
        """;
}
