using Storagectl.Configuration;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>
/// `storagectl rollback`: put a release the host still keeps back in front of traffic, through the same slot switch and
/// health gate as a deploy, but with nothing to upload, no .env to write and no migration. The database is left as it is:
/// migrations must stay backward compatible for one release (the blue/green rule), so the older release runs on it.
/// </summary>
public static class RollbackPlanner
{
    /// <param name="toVersion">The release to go back to; by default the one each host ran before its current one.</param>
    /// <param name="chosenBy">How <paramref name="toVersion"/> was asked for, as the plan and its result say why.</param>
    public static DeployPlan Plan(PlanContext context, string? toVersion, string chosenBy = "asked for with --to") =>
        new(context.Environment.Name, DeployPlan.Rollback, null, context.Who, context.Rings((tenant, host) => PlanTarget(context, tenant, host, toVersion, chosenBy)));

    /// <summary>
    /// The release the current one replaced when it was deployed (a redeploy of the same version, to change .env, replaced
    /// nothing: look past it), and why; or why there is none to go back to. Never another release in its place.
    /// </summary>
    public static (string? Version, string Why) PreviousRelease(HostState state)
    {
        var kept = $"kept here: {string.Join(", ", state.Releases)}; choose one with --to";
        var deployed = state.History.LastOrDefault(r => r.Outcome == DeployRecord.Succeeded && (r.Kind ?? DeployPlan.Deploy) == DeployPlan.Deploy
            && r.Version == state.CurrentVersion && r.PreviousVersion != r.Version);
        return deployed?.PreviousVersion switch
        {
            null when deployed is not null => (null, $"{state.CurrentVersion} was the first release deployed here ({kept})"),
            null => (null, $"the history does not say which release {state.CurrentVersion} replaced ({kept})"),
            var replaced when !state.Releases.Contains(replaced) => (null, $"{replaced}, the release {state.CurrentVersion} replaced, is no longer kept ({kept})"),
            var replaced => (replaced, $"the release {state.CurrentVersion} replaced on {deployed!.FinishedAt:u}"),
        };
    }

    private static TargetPlan PlanTarget(PlanContext context, TenantConfig tenant, HostConfig host, string? toVersion, string chosenBy)
    {
        var config = context.Config;
        var paths = new TenantPaths(host.Root, tenant.Name);
        var state = context.StateOf(tenant, host);
        var (target, why) = toVersion is null ? PreviousRelease(state) : (toVersion, chosenBy);
        var version = target ?? state.CurrentVersion ?? "(none)";
        var blocker = state.CurrentVersion is null ? "nothing is deployed here"
            : target is null ? "no release to go back to: " + why
            : !state.Releases.Contains(target) ? $"release {target} is not kept here (kept: {string.Join(", ", state.Releases)})"
            : target == state.CurrentVersion ? $"{target} is already running"
            : TenantLock.Blocker(context, state, tenant.Name);

        var prepare = new List<Step>([.. Activation.ProxyChecks(context, tenant, host, paths), .. TenantLock.Steps(context, host, paths, state, version, DeployPlan.Rollback)]);
        var probe = IsolationProbePlan.AfterSwitch(context, tenant, host, paths, version, Activation.NewActivePort(tenant, host, state));
        // Inside the rollback window the release still runs in the other slot: a checked switch back to it, nothing started.
        var warm = host.Strategy == DeployStrategy.BlueGreen ? state.WarmFor(version, context.Now) : null;
        if (warm is null) prepare.Add(new RunStep($"check the configuration with {version}", DatabaseCommands.CheckConfig(paths, version, config.Service.Executable)));
        var phases = warm is null
            ? Activation.Activate(context, tenant, host, paths, state, version, migrate: null, probe)
            : Activation.SwitchToWarm(context, tenant, host, paths, state, version, warm, probe);
        prepare.AddRange(phases.Prepare);
        var manifest = state.Manifests.GetValueOrDefault(version);
        return new TargetPlan(tenant, host, paths, state.CurrentVersion, version, manifest?.Commit, [], prepare, phases.Switch, phases.Finish,
            blocker, TenantLockCommands.Release(paths, context.LockToken))
        {
            Why = warm is null ? why : $"{why}; still running in the warm {warm.Slot.Name()} slot until {warm.Until:u}",
            Sha256 = manifest?.Sha256,
        };
    }
}
