using System.Net;
using System.Text.Json;
using Storagectl.Planning;

namespace Storagectl.Tests.Dashboard;

/// <summary>
/// Every check an action passes before it acts, each refused with problem+json and nothing changed on the host. The
/// tenant's lock is stale, so a release that slipped through would remove it, and a rollback would break it.
/// </summary>
public sealed class ActionRefusalTests : IAsyncLifetime
{
    private static readonly string[] Actions = ["rollback", "release-lock"];
    private readonly DashboardSandbox _sandbox = new();
    private DiskState _before = null!;

    public Task InitializeAsync()
    {
        _sandbox.WriteLock(new LockOwner("carol@ci", DateTimeOffset.UtcNow.AddHours(-3), "1.2.0", "carols-token") { Kind = DeployPlan.Deploy });
        _before = _sandbox.Disk();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_form_without_its_token_is_403()
    {
        await _sandbox.StartAsync();
        foreach (var action in Actions)
        {
            var form = _sandbox.Form();
            form.Remove("formToken");
            (await RefusedAsync(action, form, HttpStatusCode.Forbidden)).ShouldContain("token is missing or wrong");
            form["formToken"] = new string('0', 64);
            (await RefusedAsync(action, form, HttpStatusCode.Forbidden)).ShouldContain("token is missing or wrong");
        }
    }

    [Fact]
    public async Task A_post_from_another_origin_is_403_and_a_browser_gets_it_as_a_page()
    {
        await _sandbox.StartAsync();
        foreach (var action in Actions)
            (await RefusedAsync(action, _sandbox.Form(), HttpStatusCode.Forbidden, origin: "http://evil.example")).ShouldContain("not from http://evil.example");

        using var response = await _sandbox.PostAsync("release-lock", _sandbox.Form(), origin: "http://evil.example", accept: "text/html,application/xhtml+xml");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldContain("<h1>Cross-origin action</h1>");
        _sandbox.Disk().ShouldBe(_before);
    }

    [Fact]
    public async Task A_confirmation_that_is_not_the_tenants_name_is_400_naming_the_tenant()
    {
        await _sandbox.StartAsync();
        foreach (var confirm in new[] { "", "acm", "ACME", "yes" })
            foreach (var action in Actions)
                (await RefusedAsync(action, new Dictionary<string, string>(_sandbox.Form()) { ["confirm"] = confirm }, HttpStatusCode.BadRequest))
                    .ShouldContain("Type the tenant's name, acme, to confirm");
    }

    [Fact]
    public async Task An_unknown_tenant_or_environment_is_400()
    {
        await _sandbox.StartAsync();
        foreach (var action in Actions)
        {
            (await RefusedAsync(action, new Dictionary<string, string>(_sandbox.Form()) { ["tenant"] = "globex", ["confirm"] = "globex" }, HttpStatusCode.BadRequest))
                .ShouldContain("production has no tenant 'globex'");
            (await RefusedAsync(action, new Dictionary<string, string>(_sandbox.Form()) { ["environment"] = "staging" }, HttpStatusCode.BadRequest))
                .ShouldContain("This dashboard shows production");
        }
    }

    [Fact]
    public async Task A_rollback_to_something_that_is_not_a_version_is_400()
    {
        await _sandbox.StartAsync();
        foreach (var to in new[] { "../../etc", "1.0.0/../../x", ".hidden" })
            (await RefusedAsync("rollback", new Dictionary<string, string>(_sandbox.Form()) { ["to"] = to }, HttpStatusCode.BadRequest))
                .ShouldContain("is not a version");
    }

    [Fact]
    public async Task A_read_only_dashboard_refuses_every_action_and_offers_no_form()
    {
        await _sandbox.StartAsync(readOnly: true);
        foreach (var action in Actions)
            (await RefusedAsync(action, _sandbox.Form(), HttpStatusCode.Forbidden)).ShouldContain("--read-only");

        var page = await _sandbox.PageAsync();
        page.ShouldContain("read-only");
        page.ShouldContain("stale after 30 minutes"); // the stale lock is shown, just not offered for release
        page.ShouldNotContain("<form");
        page.ShouldNotContain(_sandbox.Settings.FormToken);
    }

    /// <summary>Posts the action, checks the refusal and that the host is as it was; returns its title and detail.</summary>
    private async Task<string> RefusedAsync(string action, Dictionary<string, string> form, HttpStatusCode status, string? origin = null)
    {
        using var response = await _sandbox.PostAsync(action, form, origin);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, $"{action}: {body}");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        DashboardSandbox.ShouldCarrySecurityHeaders(response);
        _sandbox.Disk().ShouldBe(_before, $"{action} was refused, yet the host changed");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe((int)status);
        return $"{problem.RootElement.GetProperty("title").GetString()}: {problem.RootElement.GetProperty("detail").GetString()}";
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();
}
