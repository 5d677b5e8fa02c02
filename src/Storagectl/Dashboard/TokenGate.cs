using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Storagectl.Dashboard;

/// <summary>
/// Lets in only requests that carry the dashboard's token: once in the URL (then kept in an HttpOnly, SameSite=Strict
/// cookie, and the URL is cleaned by a redirect so it does not stay in the address bar), afterwards in the cookie.
/// Anything else is 401. Requests must name this address as their Host (a DNS name pointed at 127.0.0.1 by someone
/// else's page is refused), and every page says not to be cached, framed, or followed with a Referer to other sites.
/// </summary>
public sealed class TokenGate(RequestDelegate next, DashboardSettings settings)
{
    public const string QueryName = "token";

    public async Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        // Not no-referrer: with it, browsers send "Origin: null" on the page's own form posts, which the actions refuse.
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

        if (!IsLoopbackHost(context.Request.Host))
        {
            await Problems.WriteAsync(context, StatusCodes.Status421MisdirectedRequest, "Not this dashboard's address",
                "The dashboard answers only at 127.0.0.1, [::1] or localhost.");
            return;
        }
        var cookie = CookieName(context);
        if (context.Request.Query.TryGetValue(QueryName, out var query) && Matches(query.ToString()))
        {
            context.Response.Cookies.Append(cookie, settings.Token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
            var rest = context.Request.Query.Where(q => q.Key != QueryName).Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}");
            // A path that starts with // would be another site to a browser (a protocol-relative Location): kept on this one.
            var path = "/" + (context.Request.PathBase + context.Request.Path).ToString().TrimStart('/');
            context.Response.Redirect(path + (rest.Any() ? "?" + string.Join('&', rest) : ""));
            return;
        }
        if (!context.Request.Cookies.TryGetValue(cookie, out var given) || !Matches(given))
        {
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "The dashboard's token is missing or wrong",
                "Open the URL `storagectl dashboard` printed when it started; it carries the token.");
            return;
        }
        await next(context);
    }

    /// <summary>Cookies are shared by every port of a host: each dashboard's has its port in its name.</summary>
    private static string CookieName(HttpContext context) => $"storagectl-dashboard-{context.Connection.LocalPort}";

    private bool Matches(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(settings.Token));

    private static bool IsLoopbackHost(HostString host) => host.Host is "127.0.0.1" or "[::1]" or "::1" or "localhost";
}
