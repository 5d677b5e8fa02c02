using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace StorageApi.Proxy;

/// <summary>
/// The ASP.NET Core forwarded-headers convention, trusting only a proxy on this machine: nginx reaches a slot through
/// its Unix socket (no remote address) or 127.0.0.1, so X-Forwarded-Proto and X-Forwarded-Host from there say how the
/// client called (https, the public host and port). From anywhere else they are ignored, so a caller cannot choose
/// the address its signed links name. X-Forwarded-For is left alone: it is what marks a proxied caller as not local
/// (<see cref="Observability.ObservabilityExtensions.IsDirectFromThisMachine"/>).
/// </summary>
public static class ProxyHeaders
{
    public static IApplicationBuilder UseTrustedProxyHeaders(this IApplicationBuilder app)
    {
        // The middleware checks KnownProxies only when it processes X-Forwarded-For, so the trust check is made here.
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost };
        return app.UseWhen(context => IsTrustedProxy(context.Connection.RemoteIpAddress), branch => branch.UseForwardedHeaders(options));
    }

    /// <summary>Loopback, or no address at all (a Unix socket, which only local users can open).</summary>
    public static bool IsTrustedProxy(IPAddress? remote) => remote is null || IPAddress.IsLoopback(remote);
}
