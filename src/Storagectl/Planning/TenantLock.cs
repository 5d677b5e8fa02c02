using Storagectl.Configuration;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>
/// The per-tenant deploy lock on a host: a folder whose owner.json names the run that holds it. Deploys and rollbacks
/// take it first and release it last. A run that died leaves it behind until it is stale (then the next run breaks it)
/// or released by hand; either way that run is recorded as abandoned, so history has no holes. A lock is never broken
/// just because its holder's process is gone: steps it started on the hosts may still be running.
/// </summary>
public static class TenantLock
{
    /// <summary>Breaks a stale lock if there is one, then takes the lock for this run; undone by <see cref="TenantLockCommands.Release"/>.</summary>
    public static IReadOnlyList<Step> Steps(PlanContext context, HostConfig host, TenantPaths paths, HostState state, string version, string kind)
    {
        var steps = new List<Step>();
        if (state.Lock is { } stale && IsStale(stale, context.Now, context.Config.Lock))
            steps.Add(new RunStep($"break the lock of {stale.Who} (since {stale.Since:u}): stale after {context.Config.Lock.StaleAfterMinutes} minutes", TenantLockCommands.Break(paths, stale.Token),
                Abandoned(context.Environment.Name, host.Name, paths, stale, context.Now, $"its stale lock was broken by {context.Who}").ToJson() + "\n")
                { InputSummary = $"history: {stale.Who}'s run of {stale.Version} abandoned", RefusesRun = true });
        // Where the holder runs, so a later look can tell that it was killed (a closed laptop lid or a lost runner can't be told).
        var owner = new LockOwner(context.Who, context.Now, version, context.LockToken) { Kind = kind, Machine = MachineIdentity.Current, Pid = Environment.ProcessId };
        steps.Add(new RunStep("take the tenant lock", TenantLockCommands.Take(paths, ReleaseHint(context.Environment.Name, paths.Tenant) + " if that run is dead"), owner.ToJson())
            { Undo = TenantLockCommands.Release(paths, context.LockToken), InputSummary = $"lock owner {context.Who}, version {version}", RefusesRun = true });
        return steps;
    }

    /// <summary>Why this run may not take the lock, or null: a fresh lock of another run, or a lock nobody can read.</summary>
    public static string? Blocker(PlanContext context, HostState state, string tenant) =>
        state.LockUnreadable ? $"the deploy lock exists but names no owner; look at the host, then {ReleaseHint(context.Environment.Name, tenant)}"
        : state.Lock is { } owner && !IsStale(owner, context.Now, context.Config.Lock) && owner.Token != context.LockToken
            ? $"locked by {owner.Who} since {owner.Since:u} {Doing(owner)}; " + (HolderGone(owner) is { } gone
                ? $"{gone}: once its steps on the host are done, {ReleaseHint(context.Environment.Name, tenant)} records it as abandoned"
                : $"wait, or {ReleaseHint(context.Environment.Name, tenant)} if that run is dead")
            : null;

    public static bool IsStale(LockOwner owner, DateTimeOffset now, LockSettings settings) => now - owner.Since > TimeSpan.FromMinutes(settings.StaleAfterMinutes);

    /// <summary>"its storagectl process … is gone" when the holder ran here and was killed; null when that cannot be told.</summary>
    public static string? HolderGone(LockOwner owner) =>
        MachineIdentity.IsGone(owner.Machine, owner.Pid) ? $"its storagectl process {owner.Pid} on this machine is gone" : null;

    /// <summary>Why status calls a lock dead (stale, or its holder here is gone), or null.</summary>
    public static string? DeadBecause(LockOwner owner, DateTimeOffset now, LockSettings settings) =>
        IsStale(owner, now, settings) ? $"stale after {settings.StaleAfterMinutes} minutes" : HolderGone(owner);

    /// <summary>" (dead: why)" after a lock's holder in `status` and `lock status`; empty while the holder may still run.</summary>
    public static string DeadNote(LockOwner owner, DateTimeOffset now, LockSettings settings) =>
        DeadBecause(owner, now, settings) is { } dead ? $" (dead: {dead})" : "";

    /// <summary>The history line for a run that held the lock and never finished.</summary>
    public static DeployRecord Abandoned(string environment, string host, TenantPaths paths, LockOwner owner, DateTimeOffset now, string why) =>
        new(owner.Since, now, environment, paths.Tenant, host, owner.Version, null, null, owner.Who, DeployRecord.Abandoned,
            $"the run ended without finishing; {why}", owner.Kind ?? DeployPlan.Deploy);

    public static string ReleaseHint(string environment, string tenant) => $"`storagectl lock release {environment} --tenant {tenant}`";

    private static string Doing(LockOwner owner) => owner.Kind switch
    {
        DeployPlan.Rollback => $"rolling back to {owner.Version}",
        DeployPlan.Provision => "provisioning the host",
        DeployPlan.Onboard => "onboarding the tenant",
        DeployPlan.Restore => $"restoring {owner.Version} from backups",
        DeployPlan.Remove => "removing the tenant",
        DeployPlan.Backup => "taking a backup",
        DeployPlan.Move => $"moving the tenant ({owner.Version})",
        _ => $"deploying {owner.Version}",
    };
}
