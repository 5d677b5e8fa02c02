using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// Pointing nginx at a slot without reloading it: the tenant's site proxies to <c>run/active.sock</c>, a symlink to the
/// active slot's socket, and opens a fresh connection for every request (no upstream keepalive). Switching replaces the
/// symlink atomically: the next connect() reaches the new slot, requests in flight finish on the old one, and no nginx
/// worker ever closes a client connection because of a switch (a reload does, racing requests already on the wire).
/// </summary>
public static class ProxyCommands
{
    public static string SitePath(HostConfig host, TenantConfig tenant) => $"{host.NginxSitesDirectory}/storage-{tenant.Name}.conf";

    public static string PointTo(TenantPaths paths, Slot slot)
    {
        var socket = Shell.Quote(paths.SlotSocket(slot));
        var active = Shell.Quote(paths.ActiveSocket);
        var notListening = Shell.Quote($"the {slot.Name()} slot does not listen on {paths.SlotSocket(slot)}");
        return $$"""
            set -e
            [ -S {{socket}} ] || { echo {{notListening}} >&2; exit 1; }
            ln -sfn {{Shell.Quote(Path.GetFileName(paths.SlotSocket(slot)))}} {{active}}.next
            mv -T {{active}}.next {{active}}
            echo {{slot.Name()}} > {{Shell.Quote(paths.Root)}}/active
            """;
    }

    /// <summary>
    /// Fails with one line unless the tenant's site on the host proxies through <see cref="TenantPaths.ActiveSocket"/>:
    /// switching a symlink that nginx does not use would stop the old slot under live traffic.
    /// </summary>
    public static string RequireSocketSite(HostConfig host, TenantConfig tenant, TenantPaths paths, string environment)
    {
        var site = SitePath(host, tenant);
        var message = $"the nginx site {site} does not proxy to {paths.ActiveSocket}; run `storagectl provision {environment}` first";
        return $"grep -qF -- {Shell.Quote(SocketPass(paths))} {Shell.Quote(site)} 2>/dev/null || {{ echo {Shell.Quote(message)} >&2; exit {Step.RefusedExitCode}; }}";
    }

    /// <summary>Keeps the link of a live host; a new one names the slot in the active file (blue when there is none).</summary>
    public static string KeepOrCreateActiveSocket(TenantPaths paths)
    {
        var active = Shell.Quote(paths.ActiveSocket);
        return $$"""
            set -e
            mkdir -p {{Shell.Quote(paths.Run)}}
            if [ ! -L {{active}} ]; then
              slot=$(cat {{Shell.Quote(paths.Root)}}/active 2>/dev/null || true)
              [ "$slot" = green ] || slot=blue
              ln -sfn "$slot.sock" {{active}}
            fi
            [ -S {{active}} ] || echo {{Shell.Quote($"no slot listens on {paths.ActiveSocket} yet: nginx answers 502 for {paths.Tenant} until the next deploy")}}
            """;
    }

    /// <summary>
    /// Writes the site given on stdin and loads it: provision reloads nginx (switches never do), and the upstream include
    /// of older sites goes with it. The site it replaces is kept until the provision is done, for <see cref="RestoreSite"/>.
    /// </summary>
    public static string WriteSite(HostConfig host, TenantConfig tenant, TenantPaths paths)
    {
        var site = Shell.Quote(SitePath(host, tenant));
        return $"mkdir -p {Shell.Quote(host.NginxSitesDirectory)}" +
               $" && {{ [ -f {site} ] && cp -p {site} {site}.previous || rm -f {site}.previous; }}" +
               $" && cat > {site} && nginx -t -q -c {Shell.Quote(host.NginxConfig)}" +
               $" && {{ {Reload(host)} 2>/dev/null || echo 'nginx is not running; start it to serve the site'; }}" +
               $" && rm -rf {Shell.Quote(paths.Root + "/nginx")}";
    }

    /// <summary>Undoes <see cref="WriteSite"/>: the site it replaced (or none) is what nginx serves again.</summary>
    public static string RestoreSite(HostConfig host, TenantConfig tenant)
    {
        var site = Shell.Quote(SitePath(host, tenant));
        return $"if [ -f {site}.previous ]; then mv {site}.previous {site}; else rm -f {site}; fi; {Reload(host)} 2>/dev/null || true";
    }

    private static string Reload(HostConfig host) => $"nginx -s reload -c {Shell.Quote(host.NginxConfig)}";

    /// <summary>
    /// The site for one tenant: nginx listens on the tenant's port and connects to the active slot's socket per request.
    /// It forwards how the client called (host with port, scheme), which the service believes from its socket, so signed
    /// links name an address the client can reach even without the tenant's public_url.
    /// </summary>
    public static string Site(TenantConfig tenant, TenantPaths paths) => $$"""
        # Written by storagectl provision. The active slot is whichever socket {{paths.ActiveSocket}} links to;
        # without upstream keepalive every request connects afresh through that link, so a switch needs no reload.
        server {
            listen {{tenant.Port}};
            client_max_body_size 0;          # the service enforces its own limit while streaming
            proxy_request_buffering off;     # stream uploads, never spool them in nginx
            proxy_buffering off;
            location / {
                {{SocketPass(paths)}};
                proxy_http_version 1.1;
                proxy_set_header Host $http_host;             # as the client sent it, port included ($host drops it)
                proxy_set_header X-Forwarded-Host $http_host;
                proxy_set_header X-Forwarded-Proto $scheme;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_read_timeout 300s;
            }
        }
        """;

    private static string SocketPass(TenantPaths paths) => $"proxy_pass http://unix:{paths.ActiveSocket}:";
}
