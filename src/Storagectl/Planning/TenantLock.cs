using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>
/// The per-tenant deploy lock on a host: a folder whose owner.json names the run that holds it. Deploys and rollbacks
/// take it first and release it last. A run that died leaves it behind until it is stale (then the next run breaks it)
/// or released by hand; either way that run is recorded as abandoned, so history has no holes. A lock is never broken
/// just because its holder's process is gone: steps it started on the hosts may still be running.
/// </summary>
public static class TenantLock
{
    /// <summary>Breaks a stale lock if there is one, then takes the lock for this run; undone by <see cref="ReleaseScript"/>.</summary>
    public static IReadOnlyList<Step> Steps(PlanContext context, HostConfig host, TenantPaths paths, HostState state, string version, string kind)
    {
        var steps = new List<Step>();
        if (state.Lock is { } stale && IsStale(stale, context.Now, context.Config.Lock))
            steps.Add(new RunStep($"break the lock of {stale.Who} (since {stale.Since:u}): stale after {context.Config.Lock.StaleAfterMinutes} minutes", BreakScript(paths, stale.Token),
                Abandoned(context.Environment.Name, host.Name, paths, stale, context.Now, $"its stale lock was broken by {context.Who}").ToJson() + "\n")
                { InputSummary = $"history: {stale.Who}'s run of {stale.Version} abandoned", RefusesRun = true });
        // Where the holder runs, so a later look can tell that it was killed (a closed laptop lid or a lost runner can't be told).
        var owner = new LockOwner(context.Who, context.Now, version, context.LockToken) { Kind = kind, Machine = MachineIdentity.Current, Pid = Environment.ProcessId };
        steps.Add(new RunStep("take the tenant lock", TakeScript(paths, context.Environment.Name), owner.ToJson())
            { Undo = ReleaseScript(paths, context.LockToken), InputSummary = $"lock owner {context.Who}, version {version}", RefusesRun = true });
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

    /// <summary>Releases the lock only if it is still ours.</summary>
    public static string ReleaseScript(TenantPaths paths, string token) => $"{HeldBy(paths, token)} && rm -rf {Shell.Quote(paths.Lock)} || true";

    /// <summary>Succeeds while the lock's owner file names the run with <paramref name="token"/>.</summary>
    private static string HeldBy(TenantPaths paths, string token) =>
        $"grep -q {Shell.Quote($"\"token\":\"{token}\"")} {Shell.Quote(paths.LockOwner)} 2>/dev/null";

    /// <summary>
    /// Removes the lock of the run with <paramref name="token"/> and appends the record given on stdin (that run, abandoned)
    /// to the history; refuses (<see cref="Step.RefusedExitCode"/>) when the lock has changed hands since it was read.
    /// Without a token (a lock whose owner file cannot be read) it removes whatever is there.
    /// </summary>
    public static string BreakScript(TenantPaths paths, string? token)
    {
        var changedHands = token is null ? "false" : "! " + HeldBy(paths, token);
        return $$"""
            if {{changedHands}}; then
              echo "the lock changed hands while this run looked at it; look again with storagectl lock status" >&2
              exit {{Step.RefusedExitCode}}
            fi
            rm -rf {{Shell.Quote(paths.Lock)}}
            {{DeployRecord.AppendScript(paths)}}
            """;
    }

    /// <summary>The history line for a run that held the lock and never finished.</summary>
    public static DeployRecord Abandoned(string environment, string host, TenantPaths paths, LockOwner owner, DateTimeOffset now, string why) =>
        new(owner.Since, now, environment, paths.Tenant, host, owner.Version, null, null, owner.Who, DeployRecord.Abandoned,
            $"the run ended without finishing; {why}", owner.Kind ?? DeployPlan.Deploy);

    public static string ReleaseHint(string environment, string tenant) => $"`storagectl lock release {environment} --tenant {tenant}`";

    private static string Doing(LockOwner owner) => $"{(owner.Kind == DeployPlan.Rollback ? "rolling back to" : "deploying")} {owner.Version}";

    /// <summary>
    /// Atomic: the owner file is written into a fresh folder that is renamed onto the lock; rename fails if the lock exists.
    /// The refusal names the holder, never its token (which is what releases the lock).
    /// </summary>
    private static string TakeScript(TenantPaths paths, string environment)
    {
        var owner = Shell.Quote(paths.LockOwner);
        string Field(string name) => $"$(sed -n 's/.*\"{name}\":\"\\([^\"]*\\)\".*/\\1/p' {owner} 2>/dev/null)";
        return $$"""
            set -e
            mkdir -p {{Shell.Quote(paths.Root)}}
            candidate=$(mktemp -d {{Shell.Quote(paths.Root)}}/.lock.XXXXXX)
            cat > "$candidate/owner.json"
            if ! mv -T "$candidate" {{Shell.Quote(paths.Lock)}} 2>/dev/null; then
              rm -rf "$candidate"
              echo "locked by {{Field("who")}} since {{Field("since")}} for {{Field("version")}}; wait, or "{{Shell.Quote(ReleaseHint(environment, paths.Tenant) + " if that run is dead")}} >&2
              exit {{Step.RefusedExitCode}}
            fi
            """;
    }
}
