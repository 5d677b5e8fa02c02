using Storagectl.Configuration;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>
/// `storagectl backup`: per tenant and host, under the tenant lock, `backup-now` with the running release; with a drill
/// (--verify), the live data's digest around the backup, then a restore of that snapshot into a scratch folder on the
/// host, every blob re-hashed there, counts and digest compared, the scratch folder removed. One plan per target, so a
/// failing tenant does not stop the others.
/// </summary>
public static class BackupPlanner
{
    public static IReadOnlyList<DeployPlan> Plan(PlanContext context, SecretSource secrets, bool drill) =>
        [.. context.Rings((tenant, host) => PlanTarget(context, tenant, host, secrets, drill)).SelectMany(r => r.Targets)
            .Select(target => new DeployPlan(context.Environment.Name, DeployPlan.Backup, null, context.Who, [new RingPlan(1, [target])]))];

    private static TargetPlan PlanTarget(PlanContext context, TenantConfig tenant, HostConfig host, SecretSource secrets, bool drill)
    {
        var paths = new TenantPaths(host.Root, tenant.Name);
        var state = context.StateOf(tenant, host);
        var executable = context.Config.Service.Executable;
        var version = state.CurrentVersion ?? "(none)";
        var url = BackupSource.UrlOf(tenant, secrets);
        var blocker = !BackupSource.IsConfigured(tenant) ? BackupSource.Missing(context.Environment.Name, tenant.Name)
            : url is null ? $"{BackupSource.UrlVariable} of {tenant.Name} is not set on this machine ({secrets.SearchedPlaces})"
            : state.CurrentVersion is null ? $"nothing is deployed for {tenant.Name} on {host.Name}"
            : TenantLock.Blocker(context, state, tenant.Name);
        var steps = new List<Step>(TenantLock.Steps(context, host, paths, state, version, DeployPlan.Backup));
        if (!drill)
            steps.Add(new RunStep("take a backup (backup-now)", BackupCommands.BackupNow(paths, executable)) { ReportsOutput = true });
        else
        {
            steps.Add(new RunStep("take a backup between two looks at the live data (verify, backup-now, verify)", BackupCommands.DrillBackup(paths, executable))
                { ReportsOutput = true, Undo = $"rm -rf {Shell.Quote(BackupCommands.DrillFolder(paths))}" });
            steps.Add(new RunStep($"restore drill in {BackupCommands.DrillFolder(paths)}: restore-from, verify --rehash, compare, remove",
                BackupCommands.DrillRestore(paths, executable), url ?? "") { ReportsOutput = true, InputSummary = "the backup URL" });
        }
        var commit = state.CurrentVersion is { } current && state.Manifests.TryGetValue(current, out var manifest) ? manifest.Commit : null;
        return new TargetPlan(tenant, host, paths, state.CurrentVersion, version, commit, [], steps, [], [], blocker,
            TenantLockCommands.Release(paths, context.LockToken));
    }
}
