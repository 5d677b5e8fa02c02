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
            add_header {{Header}} "{{Marker(tenant, targetUrl)}}" always;
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

    /// <summary>Every answer through the forward carries it: how <see cref="Write"/> knows nginx loaded the site.</summary>
    public const string Header = "X-Storagectl-Forward";

    /// <summary>The header's value: the tenant and a digest of the target (which a client need not learn), so a forward
    /// rewritten to another target is not taken for loaded while nginx still answers with the previous one.</summary>
    public static string Marker(TenantConfig tenant, string targetUrl) =>
        $"{tenant.Name} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(targetUrl)))[..12]}";

    /// <summary>
    /// Writes the forwarding site to <paramref name="targetUrl"/> (<see cref="Site"/>, on stdin) over the tenant's site, keeping the old one as .previous for
    /// <see cref="ProxyCommands.RestoreSite"/>, reloads nginx, and returns once the port answers through the forward:
    /// a reload only signals nginx, whose old workers go on answering with the old site for a moment, and the tenant's
    /// old instance is gone by then (502 to a client told the forward is in place).
    /// </summary>
    public static string Write(HostConfig host, TenantConfig tenant, string targetUrl)
    {
        var site = Shell.Quote(ProxyCommands.SitePath(host, tenant));
        var probe = $"curl -s -o /dev/null -D - -m 1 http://127.0.0.1:{tenant.Port}/health/live | grep -qiF {Shell.Quote($"{Header}: {Marker(tenant, targetUrl)}")}";
        return $"mkdir -p {Shell.Quote(host.NginxSitesDirectory)} && {{ [ -f {site} ] && cp -p {site} {site}.previous || true; }} && cat > {site}" +
               $" && nginx -t -q -c {Shell.Quote(host.NginxConfig)} && nginx -s reload -c {Shell.Quote(host.NginxConfig)}" +
               $" && tries=0 && until {probe}; do tries=$((tries + 1)); if [ \"$tries\" -ge 100 ]; then" +
               $" echo 'nginx did not answer through the forward on port {tenant.Port} within 10 s of its reload' >&2; exit 1; fi; sleep 0.1; done";
    }

    /// <summary>Stops both slots of the old instance (a restored tenant must not have two instances writing backups).</summary>
    public static string StopSlots(HostConfig host, TenantPaths paths) =>
        Shell.Lines(ServiceCommands.Stop(host, paths, Slot.Blue) + " || true", ServiceCommands.Stop(host, paths, Slot.Green) + " || true");
}
