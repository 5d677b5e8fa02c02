using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// The old host's nginx site for a tenant that now runs elsewhere: it keeps listening on the old port and forwards
/// every request to the tenant's port on the new host, until DNS (or the clients) follow.
/// </summary>
public static class ForwardCommands
{
    /// <param name="why">The first comment line: which verb wrote the site and when.</param>
    public static string Site(TenantConfig tenant, string why, string targetUrl) => $$"""
        # Written by storagectl {{why}}. This host forwards the tenant's clients to {{targetUrl}}
        # until DNS follows; then remove this file and reload nginx.
        server {
            listen {{tenant.Port}};
            client_max_body_size 0;
            proxy_request_buffering off;
            proxy_buffering off;
            location / {
                proxy_pass {{targetUrl}};
                proxy_http_version 1.1;
                proxy_set_header Host $http_host;
                proxy_set_header X-Forwarded-Host $http_host;
                proxy_set_header X-Forwarded-Proto $scheme;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_read_timeout 300s;
            }
        }
        """;

    /// <summary>Writes the forwarding site (on stdin) over the tenant's site, keeping the old one as .previous for <see cref="ProxyCommands.RestoreSite"/>, and reloads nginx.</summary>
    public static string Write(HostConfig host, TenantConfig tenant)
    {
        var site = Shell.Quote(ProxyCommands.SitePath(host, tenant));
        return $"mkdir -p {Shell.Quote(host.NginxSitesDirectory)} && {{ [ -f {site} ] && cp -p {site} {site}.previous || true; }} && cat > {site}" +
               $" && nginx -t -q -c {Shell.Quote(host.NginxConfig)} && nginx -s reload -c {Shell.Quote(host.NginxConfig)}";
    }

    /// <summary>Stops both slots of the old instance (a restored tenant must not have two instances writing backups).</summary>
    public static string StopSlots(HostConfig host, TenantPaths paths) =>
        Shell.Lines(ServiceCommands.Stop(host, paths, Slot.Blue) + " || true", ServiceCommands.Stop(host, paths, Slot.Green) + " || true");
}
