using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Storagectl.Cli;
using Storagectl.Hosts;
using Storagectl.Planning;
using Storagectl.Runs;

namespace Storagectl.Dashboard;

/// <summary>
/// The page's actions, through the same plans, locks and history as the CLI: a rollback (to the release before, or
/// one chosen) and the release of a stale lock. Each asks for the tenant's name typed out, and is recorded as
/// <see cref="DashboardSettings.Who"/>. The request returns once the plan is made (or refused); the run itself goes on
/// in the background and shows in the page's run panel as a CLI run does.
/// </summary>
public sealed class DashboardActions(DashboardSettings settings, FleetWatcher watcher, DashboardActivity activity)
{
    public async Task<IResult> RollbackAsync(HttpContext context)
    {
        var (form, refusal) = await CheckAsync(context);
        if (refusal is not null) return refusal;
        var to = form!.Value.Form["to"].ToString() is { Length: > 0 } chosen ? chosen : null;
        if (to is not null && !Artifact.VersionPattern().IsMatch(to))
            return Refuse(StatusCodes.Status400BadRequest, "Not a version", $"'{to}' is not a version.");
        var (environment, tenant) = (form.Value.Environment, form.Value.Tenant);

        var (plan, fleet) = await PlanAsync(environment, tenant, to, context.RequestAborted);
        if (plan.Blockers.Count > 0)
        {
            await fleet.DisposeAsync();
            return Refuse(StatusCodes.Status409Conflict, "The rollback cannot run", string.Join("; ", plan.Blockers));
        }
        var started = activity.TryStart(environment.Name, tenant, $"rollback of {string.Join(", ", plan.Targets.Select(t => t.Change))}", async () =>
        {
            await using var _ = fleet;
            var outcome = await PlanExecution.RunAsync(settings.Config.SourceFile, plan, fleet, new PlainReporter(Console.Out), CancellationToken.None);
            watcher.RefreshNow();
            return outcome.Succeeded ? "succeeded" : $"failed, put back as it was: {outcome.FirstError}";
        });
        if (started is null)
        {
            await fleet.DisposeAsync();
            return Refuse(StatusCodes.Status409Conflict, "An action on this tenant is running", $"Wait until the action on {tenant} started in this page has ended.");
        }
        return Results.Redirect($"/#run-{environment.Name}", permanent: false, preserveMethod: false);
    }

    public async Task<IResult> ReleaseLockAsync(HttpContext context)
    {
        var (form, refusal) = await CheckAsync(context);
        if (refusal is not null) return refusal;
        var (environment, tenant) = (form!.Value.Environment, form.Value.Tenant);
        await using var fleet = new HostFleet(settings.Config);
        // Not cut off when the browser goes away: the lock and its abandoned record are written together.
        var results = await LockRelease.ReleaseAsync(settings.Config, environment, tenant, fleet, settings.Who, onlyDead: true, _ => { }, CancellationToken.None);
        watcher.RefreshNow();
        var message = string.Join("; ", results.Select(r => r.Message));
        if (results.Any(r => r.Failed)) return Refuse(StatusCodes.Status409Conflict, "The lock was not released", message);
        activity.Record(environment.Name, tenant, $"lock release of {tenant}", message);
        return Results.Redirect($"/#tenant-{environment.Name}-{tenant}");
    }

    private async Task<(DeployPlan Plan, HostFleet Fleet)> PlanAsync(Configuration.EnvironmentConfig environment, string tenant, string? to, CancellationToken cancel)
    {
        // Enough history to find what the current release replaced behind refused or abandoned runs, as the CLI reads.
        var (context, fleet) = await FleetProbe.ProbeAsync(new VerbScope(settings.Config, environment, tenant), cancel, historyLines: 500, who: settings.Who);
        return (RollbackPlanner.Plan(context, to, "chosen in the dashboard"), fleet);
    }

    private readonly record struct ActionForm(IFormCollection Form, Configuration.EnvironmentConfig Environment, string Tenant);

    /// <summary>The checks every action passes first: not read-only, same origin, the form's token, a known tenant, and its name typed.</summary>
    private async Task<(ActionForm? Form, IResult? Refusal)> CheckAsync(HttpContext context)
    {
        if (settings.ReadOnly)
            return (null, Refuse(StatusCodes.Status403Forbidden, "Read-only dashboard", "This dashboard was started with --read-only: it shows, it does not act."));
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && origin != $"{context.Request.Scheme}://{context.Request.Host}")
            return (null, Refuse(StatusCodes.Status403Forbidden, "Cross-origin action", $"Actions are taken only from the dashboard's own page, not from {origin}."));
        if (!context.Request.HasFormContentType)
            return (null, Refuse(StatusCodes.Status415UnsupportedMediaType, "Not a form", "Actions are posted as forms from the dashboard's page."));
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!Same(form["formToken"].ToString(), settings.FormToken))
            return (null, Refuse(StatusCodes.Status403Forbidden, "The form's token is missing or wrong", "Reload the dashboard and try again from its page."));
        if (settings.Environment(form["environment"].ToString()) is not { } environment)
            return (null, Refuse(StatusCodes.Status400BadRequest, "Unknown environment", $"This dashboard shows {string.Join(", ", settings.Environments.Select(e => e.Name))}."));
        var tenant = form["tenant"].ToString();
        if (!environment.Tenants.ContainsKey(tenant))
            return (null, Refuse(StatusCodes.Status400BadRequest, "Unknown tenant", $"{environment.Name} has no tenant '{tenant}'."));
        if (form["confirm"].ToString().Trim() != tenant)
            return (null, Refuse(StatusCodes.Status400BadRequest, "Not confirmed", $"Type the tenant's name, {tenant}, to confirm; nothing was done."));
        return (new ActionForm(form, environment, tenant), null);
    }

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static IResult Refuse(int status, string title, string detail) => new ProblemResult(status, title, detail);

    /// <summary>A refusal written by <see cref="Problems"/>: problem+json, or a small page for a browser.</summary>
    private sealed class ProblemResult(int status, string title, string detail) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => Problems.WriteAsync(httpContext, status, title, detail);
    }
}
