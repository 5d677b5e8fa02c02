using Storagectl.Configuration;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>
/// `storagectl provision`: what a host needs before its first deploy, as steps that are safe to run again: the tenant
/// folders, the service user and systemd template unit (or nothing, for plain processes), and the nginx site that proxies
/// through the active socket link. An existing link is kept, so provisioning a live host does not move traffic. It runs
/// like a deploy (tenant lock, undo, history), one target at a time, stopping at the first that fails.
/// </summary>
public static class ProvisionPlanner
{
    public static DeployPlan Plan(PlanContext context, string? onlyHost) =>
        new(context.Environment.Name, DeployPlan.Provision, null, context.Who,
            [.. context.Rings((tenant, host) => PlanTarget(context, tenant, host))
                .SelectMany(ring => ring.Targets)
                .Where(target => onlyHost is null || target.Host.Name == onlyHost)
                .Select((target, index) => new RingPlan(index + 1, [target]))]);

    private static TargetPlan PlanTarget(PlanContext context, TenantConfig tenant, HostConfig host)
    {
        var paths = new TenantPaths(host.Root, tenant.Name);
        var state = context.StateOf(tenant, host);
        // Provisioning changes no version: the record names the one that runs.
        var version = state.CurrentVersion ?? "(none)";
        var steps = new List<Step>(TenantLock.Steps(context, host, paths, state, version, DeployPlan.Provision));
        steps.AddRange(HostSteps(context, tenant, host, paths));
        var commit = state.CurrentVersion is { } current && state.Manifests.TryGetValue(current, out var manifest) ? manifest.Commit : null;
        return new TargetPlan(tenant, host, paths, state.CurrentVersion, version, commit, [], steps, [], [],
            TenantLock.Blocker(context, state, tenant.Name), TenantLockCommands.Release(paths, context.LockToken));
    }

    /// <summary>What provisioning does on the host once the lock is held; deploys onto a new host (a restore) run them too.</summary>
    public static IReadOnlyList<Step> HostSteps(PlanContext context, TenantConfig tenant, HostConfig host, TenantPaths paths)
    {
        var steps = new List<Step> { new RunStep("create the tenant folders", FolderCommands.Create(paths)) };
        if (host.ServiceManager == ServiceManager.Systemd)
        {
            steps.Add(new RunStep("create the service user", ServiceCommands.CreateUser(paths)));
            steps.Add(new RunStep($"install the unit {ServiceCommands.TemplateUnitName(tenant.Name)}", ServiceCommands.InstallUnit(tenant.Name),
                ServiceCommands.SystemdUnit(context.Config.Service, paths)) { InputSummary = "the systemd template unit", Undo = ServiceCommands.RestoreUnit(tenant.Name) });
        }
        if (host.Proxy == ProxyKind.Nginx)
        {
            var site = ProxyCommands.SitePath(host, tenant);
            steps.Add(new RunStep("keep or create the active socket link", ProxyCommands.KeepOrCreateActiveSocket(paths)) { ReportsOutput = true });
            steps.Add(new RunStep($"write the nginx site {site}", ProxyCommands.WriteSite(host, tenant, paths), ProxyCommands.Site(tenant, paths))
                { InputSummary = "the nginx site", Undo = ProxyCommands.RestoreSite(host, tenant), ReportsOutput = true });
        }
        return steps;
    }
}
