using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>
/// Pointing nginx at a slot: the tenant's site includes <c>nginx/upstream.conf</c>; switching rewrites that one line,
/// checks the whole configuration and reloads gracefully (old workers finish their requests). A configuration nginx
/// refuses is put back, so a failed switch never leaves nginx unable to reload.
/// </summary>
public static class ProxyCommands
{
    public static string PointTo(HostConfig host, TenantPaths paths, int port, Slot slot)
    {
        var upstream = Shell.Quote(paths.Upstream);
        var config = Shell.Quote(host.NginxConfig);
        return $$"""
            set -e
            mkdir -p "$(dirname {{upstream}})"
            [ -f {{upstream}} ] && cp -p {{upstream}} {{upstream}}.previous || rm -f {{upstream}}.previous
            printf 'server 127.0.0.1:{{port}};\n' > {{upstream}}.next
            mv {{upstream}}.next {{upstream}}
            if ! nginx -t -q -c {{config}}; then
              if [ -f {{upstream}}.previous ]; then mv {{upstream}}.previous {{upstream}}; else rm -f {{upstream}}; fi
              echo "nginx refused the configuration; the previous upstream is back" >&2
              exit 1
            fi
            nginx -s reload -c {{config}}
            echo {{slot.Name()}} > {{Shell.Quote(paths.Root)}}/active
            """;
    }

    /// <summary>The site for one tenant: nginx listens on the tenant's port and forwards to whichever slot upstream.conf names.</summary>
    public static string Site(TenantConfig tenant, TenantPaths paths) => $$"""
        # Written by storagectl provision; the active slot is in {{paths.Upstream}}.
        upstream storage_{{tenant.Name.Replace('-', '_')}} {
            include {{paths.Upstream}};
        }
        server {
            listen {{tenant.Port}};
            client_max_body_size 0;          # the service enforces its own limit while streaming
            proxy_request_buffering off;     # stream uploads, never spool them in nginx
            proxy_buffering off;
            location / {
                proxy_pass http://storage_{{tenant.Name.Replace('-', '_')}};
                proxy_http_version 1.1;
                proxy_set_header Host $host;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_set_header X-Forwarded-Proto $scheme;
                proxy_read_timeout 300s;
            }
        }
        """;
}
