using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>
/// The per-tenant deploy lock on a host: a folder whose owner.json names the run that holds it. Deploys and rollbacks
/// take it first and release it last; a run that died leaves it behind until it is stale or released by hand, and
/// whoever breaks it records that run as abandoned, so history has no holes.
/// </summary>
public static class TenantLock
{
    /// <summary>Breaks a stale lock if there is one, then takes the lock for this run; undone by <see cref="ReleaseScript"/>.</summary>
    public static IReadOnlyList<Step> Steps(PlanContext context, HostConfig host, TenantPaths paths, HostState state, string version, string kind)
    {
        var steps = new List<Step>();
        if (state.Lock is { } dead && DeadBecause(dead, context.Now, context.Config.Lock) is { } why)
            steps.Add(new RunStep($"break the lock of {dead.Who} (since {dead.Since:u}): {why}", BreakScript(paths),
                Abandoned(context.Environment.Name, host.Name, paths, dead, context.Now, $"its lock ({why}) was broken by {context.Who}").ToJson() + "\n")
                { InputSummary = $"history: {dead.Who}'s run of {dead.Version} abandoned", RefusesRun = true });
        // Machine and pid let a later run on this machine see at once that this one died (a killed CI job, a closed laptop lid does not).
        var owner = new LockOwner(context.Who, context.Now, version, context.LockToken) { Kind = kind, Machine = Environment.MachineName, Pid = Environment.ProcessId };
        steps.Add(new RunStep("take the tenant lock", TakeScript(paths, context.Environment.Name), owner.ToJson())
            { Undo = ReleaseScript(paths, context.LockToken), InputSummary = $"lock owner {context.Who}, version {version}", RefusesRun = true });
        return steps;
    }

    /// <summary>Why this run may not take the lock, or null: a fresh lock of another run, or a lock nobody can read.</summary>
    public static string? Blocker(PlanContext context, HostState state, string tenant) =>
        state.LockUnreadable ? $"the deploy lock exists but names no owner; look at the host, then {ReleaseHint(context.Environment.Name, tenant)}"
        : state.Lock is { } owner && DeadBecause(owner, context.Now, context.Config.Lock) is null && owner.Token != context.LockToken
            ? $"locked by {owner.Who} since {owner.Since:u} {Doing(owner)}; wait, or {ReleaseHint(context.Environment.Name, tenant)} if that run is dead"
            : null;

    /// <summary>
    /// Why the run holding the lock is taken as dead, or null while it may still run: it is older than the stale limit,
    /// or it ran on this machine and its process is gone.
    /// </summary>
    public static string? DeadBecause(LockOwner owner, DateTimeOffset now, LockSettings settings) =>
        now - owner.Since > TimeSpan.FromMinutes(settings.StaleAfterMinutes) ? $"stale after {settings.StaleAfterMinutes} minutes"
        : owner.Machine == Environment.MachineName && owner.Pid is { } pid && OperatingSystem.IsLinux() && !Directory.Exists($"/proc/{pid}")
            ? $"its storagectl process {pid} on this machine is gone"
            : null;

    /// <summary>Releases the lock only if it is still ours.</summary>
    public static string ReleaseScript(TenantPaths paths, string token) =>
        $"grep -q {Shell.Quote($"\"token\":\"{token}\"")} {Shell.Quote(paths.LockOwner)} 2>/dev/null && rm -rf {Shell.Quote(paths.Lock)} || true";

    /// <summary>Removes the lock whoever holds it, and appends the record given on stdin (the run it ends) to the history.</summary>
    public static string BreakScript(TenantPaths paths) => Shell.All($"rm -rf {Shell.Quote(paths.Lock)}", DeployRecord.AppendScript(paths));

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
              echo "locked by {{Field("who")}} since {{Field("since")}} for {{Field("version")}}; wait, or {{ReleaseHint(environment, paths.Tenant).Replace("`", "\\`")}} if that run is dead" >&2
              exit 1
            fi
            """;
    }
}
