using Storagectl.Configuration;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>
/// `storagectl tenant remove`, per host of the tenant: under the lock, stop its slots, take a final off-host backup
/// (backup-now, when it has BACKUP_URL) and in any case a final copy (online database backup + blob files) into
/// <c>&lt;root&gt;/.removed/&lt;tenant&gt;-&lt;time&gt;/final-backup</c>; then remove its nginx site (kept beside the copy) and its
/// systemd unit, and move its folder into that same place. Nothing is deleted. The run is recorded in the moved folder's
/// deploys.jsonl.
/// </summary>
public static class RemovePlanner
{
    public static DeployPlan Plan(PlanContext context, string tenant) =>
        new(context.Environment.Name, DeployPlan.Remove, null, context.Who,
            (context with { OnlyTenant = tenant }).Rings((t, host) => PlanTarget(context, t, host)));

    private static TargetPlan PlanTarget(PlanContext context, TenantConfig tenant, HostConfig host)
    {
        var config = context.Config;
        var executable = config.Service.Executable;
        var paths = new TenantPaths(host.Root, tenant.Name);
        var state = context.StateOf(tenant, host);
        var version = state.CurrentVersion ?? "(none)";
        var aside = RemovalCommands.AsideFolder(host, tenant.Name, context.Now);
        var polling = HealthPolling.Of(config.Health);

        var prepare = new List<Step>(TenantLock.Steps(context, host, paths, state, version, DeployPlan.Remove));
        if (state.CurrentVersion is not null)
        {
            foreach (var slot in state.RunningSlots)
            {
                var port = host.Strategy == DeployStrategy.Restart ? tenant.Port : tenant.SlotPorts[slot == Slot.Blue ? 0 : 1];
                prepare.Add(new RunStep($"stop the {slot.Name()} slot", ServiceCommands.Stop(host, paths, slot))
                    { Undo = Shell.Lines(ServiceCommands.Start(host, paths, slot, executable), HealthCommands.WaitReady(port, config.Health.Path, polling)) });
            }
            if (BackupSource.IsConfigured(tenant))
                prepare.Add(new RunStep("take a final off-host backup (backup-now)", BackupCommands.BackupNow(paths, executable)) { ReportsOutput = true });
            prepare.Add(new RunStep($"keep a final copy in {aside}/final-backup", RemovalCommands.FinalCopy(paths, executable, aside)) { ReportsOutput = true });
        }
        var switching = new List<Step>();
        if (host.Proxy == ProxyKind.Nginx)
            switching.Add(new RunStep($"remove the nginx site {ProxyCommands.SitePath(host, tenant)}", RemovalCommands.RemoveSite(host, tenant, aside))
                { Undo = RemovalCommands.RestoreSite(host, tenant, aside) });
        if (host.ServiceManager == ServiceManager.Systemd)
            switching.Add(new RunStep($"remove the unit {ServiceCommands.TemplateUnitName(tenant.Name)}", RemovalCommands.RemoveUnit(tenant.Name)));
        switching.Add(new RunStep($"move {paths.Root} aside to {aside}/{tenant.Name}", RemovalCommands.MoveAside(paths, aside))
            { Undo = RemovalCommands.MoveBack(paths, aside) });

        var commit = state.CurrentVersion is { } current && state.Manifests.TryGetValue(current, out var manifest) ? manifest.Commit : null;
        return new TargetPlan(tenant, host, paths, state.CurrentVersion, version, commit, [], prepare, switching, [],
            TenantLock.Blocker(context, state, tenant.Name), TenantLockCommands.Release(paths, context.LockToken))
            { RecordIn = new TenantPaths(aside, tenant.Name) };
    }
}
