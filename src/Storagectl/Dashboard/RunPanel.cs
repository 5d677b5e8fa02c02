using Storagectl.Configuration;
using Storagectl.Runs;

namespace Storagectl.Dashboard;

/// <summary>
/// The run in progress (or just ended) in an environment, step by step per tenant@host, from the journal every run on
/// this machine writes; runs from elsewhere (CI) show only through the locks they hold on the hosts.
/// </summary>
public static class RunPanel
{
    private const int MessagesShown = 10;

    public static Html Render(DashboardSettings settings, EnvironmentConfig environment, FleetSnapshot? snapshot, DateTimeOffset now)
    {
        var run = RunView.Latest(settings.Config.SourceFile, environment.Name, DashboardPage.RecentRun, now);
        // A lock held by the run shown here is that run (its lock may outlive its last line by a reading or two).
        var elsewhere = snapshot?.Status.Targets.Where(t => t.Lock is { Unreadable: false, Dead: null } lockStatus
                && !(run is not null && lockStatus.Pid == run.Begin.Pid && lockStatus.Machine == run.Begin.Machine))
            .Select(t => Html.Of($"<li>{t.Tenant}@{t.Host}: {t.Lock!.Kind ?? "deploy"} to {t.Lock.Version} by {t.Lock.Who}, since {DashboardPage.When(t.Lock.Since!.Value)}: started by another storagectl (its steps show only on the machine it runs on)</li>"))
            .ToList() ?? [];
        var other = elsewhere.Count == 0 ? Html.Empty : Html.Of($"<ul class=\"elsewhere\">{Html.Join(elsewhere)}</ul>");
        if (run is null) return Html.Of($"<h3>Runs</h3><p class=\"meta\">No run of this configuration in the last {DashboardPage.RecentRun.TotalMinutes:0} minutes.</p>{other}");
        var begin = run.Begin;
        var state = run.Outcome switch
        {
            null => Html.Of($"<span class=\"badge warn\">…&nbsp;running for {(now - begin.At).TotalSeconds:0} s</span>"),
            Planning.DeployRecord.Succeeded => Html.Of($"<span class=\"badge ok\">✓&nbsp;succeeded</span>"),
            RunView.Gone => Html.Of($"<span class=\"badge bad\">✗&nbsp;ended without finishing (its process is gone)</span>"),
            _ => Html.Of($"<span class=\"badge bad\">✗&nbsp;{run.Outcome}</span>"),
        };
        var rows = run.Targets.Select(t => Html.Of($"""
            <tr><td data-label="Target">{t.Target}</td><td data-label="Step">{(t.Failed ? Html.Of($"<span class=\"badge bad\">✗&nbsp;{t.Step}</span>") : Html.Of($"{t.Step}"))}</td><td data-label="Done">{t.Done}</td><td data-label="Since">{DashboardPage.When(t.Since)}</td></tr>
            """));
        var messages = run.Messages.TakeLast(MessagesShown).Select(m => Html.Of($"<li>{DashboardPage.When(m.At)} {(m.Target is null ? "" : m.Target + ": ")}{(m.Step is null ? "" : m.Step + ": ")}{m.Detail}</li>"));
        return Html.Of($"""
            <h3>Run: {begin.Kind} {(begin.Version is null ? "" : begin.Version + " ")}by {begin.Who}, started {DashboardPage.When(begin.At)} {state}</h3>
            {(run.Error is null ? Html.Empty : Html.Of($"<p class=\"error\">{run.Error}</p>"))}
            <table class="run">
            <caption>Steps per tenant and host</caption>
            <thead><tr><th scope="col">Target</th><th scope="col">Step</th><th scope="col">Done</th><th scope="col">Since</th></tr></thead>
            <tbody>{Html.Join(rows)}</tbody>
            </table>
            <ol class="messages">{Html.Join(messages)}</ol>
            {other}
            """);
    }
}
