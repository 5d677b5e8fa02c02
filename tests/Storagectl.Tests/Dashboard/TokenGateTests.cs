using System.Net;
using System.Text.Json;
using Storagectl.Planning;

namespace Storagectl.Tests.Dashboard;

/// <summary>
/// The way into the dashboard: the printed URL's token once, then an HttpOnly SameSite=Strict cookie; nothing else
/// gets in, and only at a loopback Host. Every answer, refusals included, carries the security headers.
/// </summary>
public sealed class TokenGateTests : IAsyncLifetime
{
    private readonly DashboardSandbox _sandbox = new();

    public async Task InitializeAsync()
    {
        _sandbox.WriteLock(new LockOwner("bob@laptop", DateTimeOffset.UtcNow, "2.0.0", "bobs-token") { Kind = DeployPlan.Deploy });
        await _sandbox.StartAsync();
    }

    [Fact]
    public async Task Without_the_token_the_answer_is_401_problem_json_saying_how_to_get_in()
    {
        using var client = _sandbox.Client();

        using var response = await client.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(401);
        problem.RootElement.GetProperty("detail").GetString()!.ShouldContain("URL `storagectl dashboard` printed");
        DashboardSandbox.ShouldCarrySecurityHeaders(response);
    }

    [Fact]
    public async Task A_wrong_token_in_the_url_or_the_cookie_is_401()
    {
        using var client = _sandbox.Client();
        using var inUrl = await client.GetAsync("/?token=" + new string('0', 64));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", $"storagectl-dashboard-{_sandbox.Port}={new string('0', 64)}");
        using var inCookie = await client.SendAsync(request);

        inUrl.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        inUrl.Headers.Contains("Set-Cookie").ShouldBeFalse();
        inCookie.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_token_becomes_a_strict_httponly_cookie_and_leaves_the_url_then_the_page_lists_the_tenant()
    {
        using var client = _sandbox.Client();

        using var entry = await client.GetAsync($"/?token={_sandbox.Settings.Token}&env=production");

        entry.StatusCode.ShouldBe(HttpStatusCode.Found);
        entry.Headers.Location!.OriginalString.ShouldBe("/?env=production");
        DashboardSandbox.ShouldCarrySecurityHeaders(entry);
        var setCookie = entry.Headers.GetValues("Set-Cookie").ShouldHaveSingleItem();
        var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        parts[0].ShouldBe(_sandbox.Cookie);
        parts.ShouldContain(p => p.Equals("httponly", StringComparison.OrdinalIgnoreCase));
        parts.ShouldContain(p => p.Equals("samesite=strict", StringComparison.OrdinalIgnoreCase));

        // The browser follows the redirect with the cookie it was given, and the page shows once the hosts were read.
        using var request = new HttpRequestMessage(HttpMethod.Get, entry.Headers.Location);
        request.Headers.Add("Cookie", parts[0]);
        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        DashboardSandbox.ShouldCarrySecurityHeaders(response);

        var page = await _sandbox.PageAsync();
        page.ShouldContain("<td data-label=\"Tenant\">acme</td>");
        page.ShouldContain("<td data-label=\"Version\">1.1.0");
        page.ShouldContain("held by bob@laptop since");
        page.ShouldContain("(deploy 2.0.0)");
        page.ShouldNotContain("bobs-token");
        page.ShouldNotContain(_sandbox.Settings.Token);
        // The rollback form is offered (not read-only), and the fresh lock is not offered for release.
        page.ShouldContain("action=\"/actions/rollback\"");
        page.ShouldNotContain("action=\"/actions/release-lock\"");
    }

    [Fact]
    public async Task The_redirect_that_strips_the_token_stays_on_the_dashboard()
    {
        using var client = _sandbox.Client();

        // "//evil.example/" as a Location is protocol-relative: a browser would leave for evil.example.
        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{_sandbox.Port}//evil.example/?token={_sandbox.Settings.Token}"));

        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        response.Headers.Location!.OriginalString.ShouldBe("/evil.example/");
    }

    [Fact]
    public async Task A_request_naming_another_host_is_421_even_with_the_cookie()
    {
        using var client = _sandbox.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "evil.example";
        request.Headers.Add("Cookie", _sandbox.Cookie);

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.MisdirectedRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("<td");
        DashboardSandbox.ShouldCarrySecurityHeaders(response);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();
}
