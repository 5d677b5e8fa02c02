using Microsoft.Extensions.Hosting;

namespace Storagectl.Dashboard;

/// <summary>An action taken in the page: what, on which tenant, and once it ended, how.</summary>
public sealed class ActionEntry(DateTimeOffset at, string environment, string tenant, string what)
{
    public DateTimeOffset At => at;
    public string Environment => environment;
    public string Tenant => tenant;
    public string What => what;
    public volatile string? Result;
}

/// <summary>
/// The actions this dashboard started, newest first, and the ones still running: one at a time per tenant, and a
/// dashboard that is stopped waits for them to end (a rollback is never cut off halfway by closing the page's server).
/// </summary>
public sealed class DashboardActivity : IHostedService
{
    private const int Shown = 10;
    private readonly Lock _gate = new();
    private readonly List<ActionEntry> _entries = [];
    private readonly Dictionary<(string Environment, string Tenant), Task> _running = [];

    /// <summary>Starts <paramref name="work"/> for the tenant unless an action on it already runs; the result it returns is shown.</summary>
    public ActionEntry? TryStart(string environment, string tenant, string what, Func<Task<string>> work)
    {
        lock (_gate)
        {
            if (_running.ContainsKey((environment, tenant))) return null;
            var entry = new ActionEntry(DateTimeOffset.UtcNow, environment, tenant, what);
            _entries.Insert(0, entry);
            if (_entries.Count > Shown) _entries.RemoveAt(_entries.Count - 1);
            _running[(environment, tenant)] = Task.Run(async () =>
            {
                try { entry.Result = await work(); }
                catch (Exception e) { entry.Result = $"failed: {e.Message}"; }
                finally { lock (_gate) _running.Remove((environment, tenant)); }
            });
            return entry;
        }
    }

    /// <summary>An action that was done within its request (a lock release): shown with its result at once.</summary>
    public void Record(string environment, string tenant, string what, string result)
    {
        lock (_gate)
        {
            _entries.Insert(0, new ActionEntry(DateTimeOffset.UtcNow, environment, tenant, what) { Result = result });
            if (_entries.Count > Shown) _entries.RemoveAt(_entries.Count - 1);
        }
    }

    public Html Render()
    {
        List<ActionEntry> entries;
        lock (_gate) entries = [.. _entries];
        if (entries.Count == 0) return Html.Empty;
        return Html.Of($"""
            <h2>Actions from this page</h2>
            <ol class="messages">{Html.Join(entries.Select(e => Html.Of($"<li>{DashboardPage.When(e.At)} {e.What} ({e.Environment}): {(e.Result is { } result ? result : "running…")}</li>")))}</ol>
            """);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_gate) running = [.. _running.Values];
        if (running.Length == 0) return;
        Console.WriteLine($"waiting for {running.Length} action(s) started in the page to finish");
        await Task.WhenAll(running);
    }
}
