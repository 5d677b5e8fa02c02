using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.Dashboard;

/// <summary>One tenant: its traffic from /metrics, its history across hosts, and the actions the page offers on it.</summary>
public sealed class TenantCard(DashboardSettings settings, EnvironmentConfig environment, TenantConfig tenant, FleetSnapshot? snapshot, RequestRates rates)
{
    private const int HistoryShown = 8;

    public Html Render(DateTimeOffset now)
    {
        var states = snapshot?.States.Where(s => s.Key.Tenant == tenant.Name).OrderBy(s => s.Key.Host, StringComparer.Ordinal).Select(s => s.Value).ToList() ?? [];
        return Html.Of($"""
            <article class="tenant" id="tenant-{environment.Name}-{tenant.Name}" data-live="tenant-{environment.Name}-{tenant.Name}" aria-labelledby="name-{environment.Name}-{tenant.Name}">
            <h3 id="name-{environment.Name}-{tenant.Name}">{tenant.Name}</h3>
            {Traffic()}
            <h4>History</h4>
            {History(states)}
            {(settings.ReadOnly || snapshot is null ? Html.Empty : Actions(states, now))}
            </article>
            """);
    }

    private Html Traffic()
    {
        var points = rates.Of(tenant.Name);
        if (points.Count == 0) return Html.Of($"<p class=\"meta traffic\">Traffic: no readings of /metrics yet</p>");
        var last = points[^1];
        return Html.Of($"""
            <dl class="traffic">
            <div><dt>Requests</dt><dd>{last.RequestsPerSecond:0.0}/s {Sparkline.Draw([.. points.Select(p => p.RequestsPerSecond)], $"requests per second of {tenant.Name}, last {points.Count} readings", 1, "rate")}</dd></div>
            <div><dt>5xx share</dt><dd>{last.ErrorShare * 100:0.0} % {Sparkline.Draw([.. points.Select(p => p.ErrorShare * 100)], $"share of 5xx answers of {tenant.Name} in percent, last {points.Count} readings", 5, "errors")}</dd></div>
            </dl>
            """);
    }

    private static Html History(IReadOnlyList<HostState> states)
    {
        var records = states.SelectMany(s => s.History).Where(r => !DeployPlan.Routine.Contains(r.Kind ?? DeployPlan.Deploy))
            .OrderByDescending(r => r.FinishedAt).Take(HistoryShown).ToList();
        if (records.Count == 0) return Html.Of($"<p class=\"meta\">No deploys recorded yet.</p>");
        return Html.Of($"<ol class=\"timeline\">{Html.Join(records.Select(r => Html.Of($"""
            <li>{DashboardPage.When(r.FinishedAt)} <strong>{r.Kind ?? DeployPlan.Deploy}</strong> {r.PreviousVersion ?? "-"} → {r.Version} on {r.Host} {DashboardPage.Outcome(r.Outcome)} by {r.Who}, {DashboardPage.Took(r)}{(r.Error is null ? Html.Empty : Html.Of($"<br><span class=\"error\">{r.Error}</span>"))}</li>
            """)))}</ol>");
    }

    /// <summary>Each action is a native disclosure and form: reachable by keyboard, and it asks for the tenant's name before it acts.</summary>
    private Html Actions(IReadOnlyList<HostState> states, DateTimeOffset now)
    {
        var actions = new List<Html>();
        if (states.FirstOrDefault(s => s.CurrentVersion is not null) is { } state)
        {
            var (previous, why) = RollbackPlanner.PreviousRelease(state);
            var others = state.Releases.Where(r => r != state.CurrentVersion && r != previous).ToList();
            if (previous is null && others.Count == 0)
                actions.Add(Html.Of($"<p class=\"meta\">Nothing to roll back to: {why}.</p>"));
            else
            {
                var options = (previous is null ? [] : new[] { Html.Of($"<option value=\"\">{previous} (the release {state.CurrentVersion} replaced)</option>") })
                    .Concat(others.Select(r => Html.Of($"<option value=\"{r}\">{r}</option>")));
                actions.Add(Form("rollback", $"Roll back {tenant.Name}…", $"Roll back {tenant.Name}", Html.Of($"""
                    <p>Switches {tenant.Name} from {state.CurrentVersion} to a release its hosts keep, through the same health gate as a deploy; the database stays as it is.</p>
                    <label>Release <select name="to">{Html.Join(options)}</select></label>
                    """)));
            }
        }
        var stale = snapshot!.Status.Targets.Where(t => t.Tenant == tenant.Name && t.Lock is { Dead: not null }).ToList();
        if (stale.Count > 0)
            actions.Add(Form("release-lock", $"Release the stale lock of {tenant.Name}…", $"Release the lock of {tenant.Name}", Html.Of($"""
                <p>{string.Join("; ", stale.Select(t => $"{t.Host}: held by {t.Lock!.Who} since {t.Lock.Since:u} ({t.Lock.Dead})"))}. The run that held it is recorded as abandoned.</p>
                """)));
        return actions.Count == 0 ? Html.Empty : Html.Of($"<h4>Actions</h4>{Html.Join(actions)}");
    }

    private Html Form(string action, string summary, string button, Html body) => Html.Of($"""
        <details class="action">
        <summary>{summary}</summary>
        <form method="post" action="/actions/{action}">
        <input type="hidden" name="environment" value="{environment.Name}">
        <input type="hidden" name="tenant" value="{tenant.Name}">
        <input type="hidden" name="formToken" value="{settings.FormToken}">
        {body}
        <label>Type <kbd>{tenant.Name}</kbd> to confirm <input name="confirm" required autocomplete="off" spellcheck="false" pattern="{tenant.Name}" aria-describedby="why-{action}-{environment.Name}-{tenant.Name}"></label>
        <span class="meta" id="why-{action}-{environment.Name}-{tenant.Name}">recorded in the history as {settings.Who}</span>
        <button type="submit">{button}</button>
        </form>
        </details>
        """);
}
