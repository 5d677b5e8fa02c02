using System.Globalization;
using Storagectl.Cli;
using Storagectl.Configuration;
using Storagectl.Planning;
using Storagectl.Runs;

namespace Storagectl.Dashboard;

/// <summary>
/// The dashboard as one server-rendered page: per environment, the table `storagectl status` prints, the run in
/// progress, and a card per tenant (traffic, history, actions). Regions marked data-live are swapped in place by
/// dashboard.js every few seconds; without script the page is complete and a reload refreshes it.
/// </summary>
public sealed class DashboardPage(DashboardSettings settings, FleetWatcher watcher, DashboardActivity activity)
{
    /// <summary>A run that ended is shown this long after its last line, so its outcome can be read.</summary>
    public static readonly TimeSpan RecentRun = TimeSpan.FromMinutes(15);

    public Html Render(DateTimeOffset now) => Html.Of($"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Storage API fleet: {string.Join(", ", settings.Environments.Select(e => e.Name))}</title>
        <link rel="stylesheet" href="/static/dashboard.css">
        <script src="/static/dashboard.js" defer></script>
        </head>
        <body>
        <header>
        <h1>Storage API fleet</h1>
        <p class="meta">{Path.GetFullPath(settings.Config.SourceFile)} · read from the hosts every {FleetWatcher.Interval.TotalSeconds:0} s{(settings.ReadOnly ? Html.Of($" · <strong class=\"badge info\">read-only</strong>") : Html.Empty)}</p>
        <nav aria-label="Environments"><ul>{Html.Join(settings.Environments.Select(e => Html.Of($"<li><a href=\"#env-{e.Name}\">{e.Name}</a></li>")))}</ul></nav>
        </header>
        <main>
        <section id="actions" data-live="actions" aria-live="polite" aria-label="Actions taken in this dashboard">{activity.Render()}</section>
        {Html.Join(settings.Environments.Select(e => Environment(e, now)))}
        </main>
        </body>
        </html>
        """);

    private Html Environment(EnvironmentConfig environment, DateTimeOffset now)
    {
        var snapshot = watcher.Snapshot(environment.Name);
        var cards = environment.Tenants.Values.Select(t => new TenantCard(settings, environment, t, snapshot, watcher.Rates(environment.Name)).Render(now));
        return Html.Of($"""
            <section class="environment" id="env-{environment.Name}" aria-labelledby="title-{environment.Name}">
            <h2 id="title-{environment.Name}">{environment.Name}</h2>
            <div data-live="status-{environment.Name}">{Status(environment, snapshot, now)}</div>
            <div data-live="run-{environment.Name}" id="run-{environment.Name}" aria-live="polite">{RunPanel.Render(settings, environment, snapshot, now)}</div>
            <div class="tenants">{Html.Join(cards)}</div>
            </section>
            """);
    }

    private Html Status(EnvironmentConfig environment, FleetSnapshot? snapshot, DateTimeOffset now)
    {
        var error = watcher.Error(environment.Name) is { } failed ? Html.Of($"<p class=\"badge bad\" role=\"alert\">✗ {failed}</p>") : Html.Empty;
        if (snapshot is null) return Html.Of($"{error}<p class=\"meta\">Reading the hosts…</p>");
        var status = snapshot.Status;
        var rows = status.Targets.Select(t => Html.Of($"""
            <tr>
            <td data-label="Tenant">{t.Tenant}</td>
            <td data-label="Host">{t.Host}</td>
            <td data-label="Version">{(t.Reachable ? t.Version ?? "-" : "?")}{(t.Sha256 is { } sha ? Html.Of($" <code title=\"sha256 {sha}\">{Artifact.ShortHash(sha)}</code>") : Html.Empty)}</td>
            <td data-label="Health">{Health(t.Health)}</td>
            <td data-label="Slot">{(t.Reachable ? t.ActiveSlot ?? "-" : "")}</td>
            <td data-label="Lock">{Lock(t)}</td>
            <td data-label="Last deploy">{(t.LastDeploy is { } last ? Html.Of($"{When(last.FinishedAt)} {last.Kind ?? DeployPlan.Deploy} {last.Version} {Outcome(last.Outcome)} by {last.Who}, {Took(last)}") : Html.Of($"-"))}</td>
            <td data-label="Last backup">{(t.Reachable ? t.Backup?.Summary ?? "-" : "")}</td>
            <td data-label="Rollback target">{(t.Reachable ? t.Warm?.Summary(now) ?? "-" : "")}</td>
            </tr>
            """));
        var details = status.Targets.Where(t => t.Health.Detail is not null).Select(t => Html.Of($"<li>{t.Tenant}@{t.Host}: {t.Health.Detail}</li>")).ToList();
        return Html.Of($"""
            {error}
            <p class="meta">Read at <time datetime="{snapshot.ReadAt:O}">{snapshot.ReadAt.UtcDateTime:HH:mm:ss} UTC</time> · {(status.Healthy ? Html.Of($"<span class=\"badge ok\">✓&nbsp;all healthy</span>") : Html.Of($"<span class=\"badge bad\">✗&nbsp;not all healthy</span>"))}</p>
            <div class="table-scroll">
            <table class="fleet">
            <caption>{environment.Name}: what runs where</caption>
            <thead><tr><th scope="col">Tenant</th><th scope="col">Host</th><th scope="col">Version</th><th scope="col">Health</th><th scope="col">Slot</th><th scope="col">Lock</th><th scope="col">Last deploy</th><th scope="col">Last backup</th><th scope="col">Rollback target</th></tr></thead>
            <tbody>{Html.Join(rows)}</tbody>
            </table>
            </div>
            {(details.Count == 0 ? Html.Empty : Html.Of($"<ul class=\"details\">{Html.Join(details)}</ul>"))}
            """);
    }

    /// <summary>A word and a symbol for every state, never a colour alone.</summary>
    public static Html Health(HealthStatus health) => health.State switch
    {
        HealthStates.Ready => Html.Of($"<span class=\"badge ok\">✓&nbsp;{health.Summary}</span>"),
        HealthStates.NotDeployed => Html.Of($"<span class=\"badge info\">–&nbsp;{health.Summary}</span>"),
        HealthStates.WrongVersion or HealthStates.NotReady => Html.Of($"<span class=\"badge warn\">!&nbsp;{health.Summary}</span>"),
        _ => Html.Of($"<span class=\"badge bad\">✗&nbsp;{health.Summary}</span>"),
    };

    public static Html Outcome(string outcome) => outcome switch
    {
        DeployRecord.Succeeded => Html.Of($"<span class=\"badge ok\">✓&nbsp;{outcome}</span>"),
        DeployRecord.Refused => Html.Of($"<span class=\"badge info\">–&nbsp;{outcome}</span>"),
        DeployRecord.RolledBack or DeployRecord.Abandoned => Html.Of($"<span class=\"badge warn\">!&nbsp;{outcome}</span>"),
        _ => Html.Of($"<span class=\"badge bad\">✗&nbsp;{outcome}</span>"),
    };

    private static Html Lock(TargetStatus target) => !target.Reachable ? Html.Empty
        : target.Lock is not { } owner ? Html.Of($"free")
        : owner.Unreadable ? Html.Of($"<span class=\"badge warn\">!&nbsp;held (owner unreadable)</span>")
        : owner.Dead is { } dead ? Html.Of($"<span class=\"badge bad\">✗&nbsp;held by {owner.Who} since {When(owner.Since!.Value)}, stale: {dead}</span>")
        : Html.Of($"<span class=\"badge warn\">…&nbsp;held by {owner.Who} since {When(owner.Since!.Value)} ({owner.Kind ?? DeployPlan.Deploy} {owner.Version})</span>");

    public static Html When(DateTimeOffset at) =>
        Html.Of($"<time datetime=\"{at:O}\">{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}</time>");

    public static string Took(DeployRecord record) => $"{Math.Max(0, (record.FinishedAt - record.StartedAt).TotalSeconds):0} s";
}
