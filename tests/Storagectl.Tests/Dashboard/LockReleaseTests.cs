using System.Net;
using System.Text.Json;
using Storagectl.Planning;

namespace Storagectl.Tests.Dashboard;

/// <summary>
/// Releasing a lock from the page: a stale one goes, and history records its run as abandoned by the dashboard's
/// operator; a fresh one whose holder is alive is refused and stays.
/// </summary>
public sealed class LockReleaseTests : IAsyncLifetime
{
    private readonly DashboardSandbox _sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_stale_lock_is_released_through_the_page_and_its_run_recorded_as_abandoned()
    {
        var since = DateTimeOffset.UtcNow.AddHours(-3);
        _sandbox.WriteLock(new LockOwner("carol@ci", since, "1.2.0", "carols-token") { Kind = DeployPlan.Deploy });
        await _sandbox.StartAsync();
        var before = _sandbox.Disk();

        // As a browser: the form's token from the page, the tenant typed, and the page's own Origin.
        var page = await _sandbox.PageAsync();
        page.ShouldContain("action=\"/actions/release-lock\"");
        var form = new Dictionary<string, string>(_sandbox.Form()) { ["formToken"] = DashboardSandbox.FormTokenOf(page) };
        using var response = await _sandbox.PostAsync("release-lock", form, origin: $"http://127.0.0.1:{_sandbox.Port}");

        response.StatusCode.ShouldBe(HttpStatusCode.Found, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.OriginalString.ShouldBe("/#tenant-production-acme");
        Directory.Exists(Path.Combine(_sandbox.TenantFolder, "deploy.lock")).ShouldBeFalse();
        var after = _sandbox.Disk();
        after.Current.ShouldBe(before.Current);
        after.History.ShouldStartWith(before.History);
        var added = after.History[before.History.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem();
        var record = JsonSerializer.Deserialize<DeployRecord>(added, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        record.Outcome.ShouldBe(DeployRecord.Abandoned);
        record.Who.ShouldBe("carol@ci");
        record.Version.ShouldBe("1.2.0");
        record.StartedAt.ShouldBe(since);
        record.Error.ShouldBe("the run ended without finishing; its lock was released by tester (dashboard)");

        // The page tells what was done, and no longer offers the release.
        var later = await _sandbox.PageAsync();
        later.ShouldContain("lock release of acme");
        later.ShouldContain("released; recorded as abandoned");
    }

    [Fact]
    public async Task A_fresh_lock_of_a_live_run_is_409_and_stays()
    {
        // Held by this very process on this machine: alive, and taken just now.
        _sandbox.WriteLock(new LockOwner("dave@laptop", DateTimeOffset.UtcNow, "1.2.0", "daves-token")
            { Kind = DeployPlan.Deploy, Machine = MachineIdentity.Current, Pid = Environment.ProcessId });
        await _sandbox.StartAsync();
        var before = _sandbox.Disk();

        using var response = await _sandbox.PostAsync("release-lock", _sandbox.Form());

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("detail").GetString()!.ShouldContain("dave@laptop's run may still be working");
        _sandbox.Disk().ShouldBe(before);
        before.Lock.ShouldNotBeNull().ShouldContain("daves-token");
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();
}
