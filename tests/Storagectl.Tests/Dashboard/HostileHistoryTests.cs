using Storagectl.Planning;

namespace Storagectl.Tests.Dashboard;

/// <summary>History comes from files on the hosts: whatever a record says reaches the page encoded, never as markup.</summary>
public sealed class HostileHistoryTests : IAsyncLifetime
{
    private const string HostileWho = "<img src=x onerror=alert(1)>";
    private const string HostileError = "health said <script>alert(2)</script>";
    private readonly DashboardSandbox _sandbox = new();

    public async Task InitializeAsync()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        _sandbox.AppendHistory(new DeployRecord(at, at.AddSeconds(9), DashboardSandbox.Environment, DashboardSandbox.Tenant, DashboardSandbox.Host,
            "1.2.0", "abc123", "1.1.0", HostileWho, DeployRecord.RolledBack, HostileError));
        await _sandbox.StartAsync();
    }

    [Fact]
    public async Task A_records_who_and_error_show_encoded_in_the_status_table_and_the_timeline()
    {
        var page = await _sandbox.PageAsync();

        page.ShouldNotContain("<img");
        page.ShouldNotContain("<script>");
        page.ShouldContain("by &lt;img src=x onerror=alert(1)&gt;");
        page.ShouldContain("<span class=\"error\">health said &lt;script&gt;alert(2)&lt;/script&gt;</span>");
        // Both places name the hostile record: the last deploy in the status table and the tenant's timeline.
        System.Text.RegularExpressions.Regex.Count(page, "&lt;img src=x").ShouldBe(2);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();
}
