using System.Text;
using Storagectl.Configuration;

namespace Storagectl.Planning;

public enum EnvChangeKind { Added, Changed, Removed, Unchanged }

/// <summary>One variable of shared/.env compared with what is on the host. Secret values are never shown, only whether they change.</summary>
public sealed record EnvChange(string Key, EnvChangeKind Kind, bool Secret);

/// <summary>
/// Everything that will happen to one tenant on one host, in three phases: <see cref="Prepare"/> runs beside the old
/// version (which keeps serving), <see cref="Switch"/> moves traffic, <see cref="Finish"/> watches and cleans up.
/// A <see cref="Blocker"/> (a lock held by someone else, a missing secret) stops the deploy before anything runs.
/// <see cref="ReleaseLock"/> runs last, whatever the outcome, once the deploy is recorded.
/// </summary>
public sealed record TargetPlan(
    TenantConfig Tenant, HostConfig Host, TenantPaths Paths, string? FromVersion, string ToVersion, string? Commit,
    IReadOnlyList<EnvChange> EnvChanges, IReadOnlyList<Step> Prepare, IReadOnlyList<Step> Switch, IReadOnlyList<Step> Finish,
    string? Blocker, string ReleaseLock)
{
    public string Name => $"{Tenant.Name}@{Host.Name}";

    /// <summary>Migrations the new release brings that the running one does not have; null when the host cannot tell.</summary>
    public IReadOnlyList<string>? PendingMigrations { get; init; }

    /// <summary>Where each of the tenant's secrets comes from on this machine (deploys only; values are never kept here).</summary>
    public IReadOnlyList<SecretOrigin> Secrets { get; init; } = [];

    /// <summary>The sha256 of the release the target goes to (the artifact's, or a kept manifest's); null when unknown.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Why the target goes to <see cref="ToVersion"/> when that is a choice (a rollback's release, a downgrade).</summary>
    public string? Why { get; init; }

    /// <summary>Other hosts the run also holds the tenant's lock on and records its history on (a move's source).</summary>
    public IReadOnlyList<TargetPeer> Peers { get; init; } = [];

    /// <summary>"acme@web-1: 3.0.0 -> 2.0.0 (why)", as plans and results say it.</summary>
    public string Change => $"{Name}: {FromVersion ?? "(nothing)"} -> {ToVersion}{(Why is null ? "" : $" ({Why})")}";

    /// <summary>Where the run is recorded when the tenant folder does not stay where it was (a removal moves it aside).</summary>
    public TenantPaths? RecordIn { get; init; }
}

/// <summary>Another host a target's run also locks and records on; <paramref name="ReleaseLock"/> runs there last, whatever the outcome.</summary>
public sealed record TargetPeer(HostConfig Host, TenantPaths Paths, string ReleaseLock);

/// <summary>Targets deployed together: all are prepared and verified before any is switched, and they roll back together.</summary>
public sealed record RingPlan(int Number, IReadOnlyList<TargetPlan> Targets);

/// <summary>
/// What a run does, by <see cref="Kind"/>: a deploy of <see cref="Artifact"/> (the only kind with one), a rollback (each
/// target goes back to a release it keeps), or a provision (hosts made ready; no version changes).
/// </summary>
public sealed record DeployPlan(string Environment, string Kind, Artifact? Artifact, string Who, IReadOnlyList<RingPlan> Rings)
{
    public const string Deploy = "deploy";
    public const string Rollback = "rollback";
    public const string Provision = "provision";
    /// <summary>A new tenant's first key and check, after its provision and first deploy (`storagectl tenant add`); no version changes.</summary>
    public const string Onboard = "onboard";
    public const string Restore = "restore";
    public const string Remove = "remove";
    public const string Backup = "backup";
    public const string Move = "move";
    /// <summary>`storagectl probe`: recorded in history, but never a plan of its own (it changes no version, slot or .env).</summary>
    public const string Probe = "probe";
    /// <summary>`storagectl checklist --artifact` on an environment that runs the artifact: the record promote_from looks for.</summary>
    public const string Checklist = "checklist";

    /// <summary>Kinds that run routinely and change nothing that serves: `status`' last deploy and the bake's error rate look past them.</summary>
    public static readonly IReadOnlyList<string> Routine = [Probe, Backup, Checklist, WindowEnd];

    /// <summary>A rollback window ended: its timer on the host stopped the warm slot (never a plan of its own).</summary>
    public const string WindowEnd = "window-end";

    /// <summary>Why the deploy goes ahead without the promote_from environment's checklist; written into every record of the run.</summary>
    public string? SkipStaging { get; init; }

    /// <summary>Deploys, rollbacks and restores move targets from one version to another; a provision, onboarding, backup or removal leaves versions alone.</summary>
    public bool ChangesVersions => Kind is not (Provision or Onboard or Remove or Backup);

    public IEnumerable<TargetPlan> Targets => Rings.SelectMany(r => r.Targets);

    public IReadOnlyList<string> Blockers => [.. Targets.Where(t => t.Blocker is not null).Select(t => $"{t.Name}: {t.Blocker}")];

    /// <summary>The plan as `storagectl plan` prints it: versions, env changes and every command, without secret values.</summary>
    public string Print()
    {
        var text = new StringBuilder();
        text.AppendLine(Kind switch
        {
            Deploy => $"deploy {Artifact!.Service} {Artifact.Version} ({Artifact.Commit}) to {Environment} as {Who}",
            Restore => $"restore {Environment} from backups with {Artifact!.Service} {Artifact.Version} ({Artifact.Commit}) as {Who}",
            Rollback => $"roll back {Environment} as {Who}",
            Move => $"move {string.Join(", ", Targets.Select(t => t.Tenant.Name))} in {Environment} as {Who}",
            _ => $"{Kind} {Environment} as {Who}",
        });
        foreach (var ring in Rings)
        {
            text.AppendLine().AppendLine($"ring {ring.Number}: {string.Join(", ", ring.Targets.Select(t => t.Name))}");
            foreach (var target in ring.Targets)
            {
                text.AppendLine($"  {target.Name} ({ConfigNames.Kebab(target.Host.Strategy.ToString())}): {target.FromVersion ?? "(nothing)"} -> {target.ToVersion}");
                if (target.Why is not null) text.AppendLine($"    why: {target.Why}");
                if (target.Blocker is not null) text.AppendLine($"    BLOCKED: {target.Blocker}");
                foreach (var change in target.EnvChanges.Where(c => c.Kind != EnvChangeKind.Unchanged))
                    text.AppendLine($"    env {change.Key}: {change.Kind.ToString().ToLowerInvariant()}{(change.Secret ? " (secret)" : "")}");
                var unchanged = target.EnvChanges.Count(c => c.Kind == EnvChangeKind.Unchanged);
                if (unchanged > 0) text.AppendLine($"    env: {unchanged} unchanged");
                foreach (var secret in target.Secrets)
                    text.AppendLine($"    secret {secret.Variable} <- {secret.Source}: " + (secret.FoundIn is { } where ? $"set in {where}" : "NOT SET on this machine"));
                if (Kind is Deploy or Restore)
                    text.AppendLine(target.PendingMigrations switch
                    {
                        null => "    migrations: unknown (the running release has no manifest); `migrate` applies whatever is pending",
                        [] => "    migrations: none pending",
                        var pending => $"    migrations: {pending.Count} pending: {string.Join(", ", pending)}",
                    });
                Append(text, "prepare", target.Prepare);
                Append(text, "switch", target.Switch);
                Append(text, "finish", target.Finish);
            }
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, string phase, IReadOnlyList<Step> steps)
    {
        text.AppendLine($"    {phase}:");
        foreach (var step in steps)
        {
            text.AppendLine($"      - {step.Title}");
            foreach (var line in step.Describe().Split('\n')) text.AppendLine($"          {line}");
            if (step.KeptOnUndo is not null) text.AppendLine($"          # if the deploy is undone: {step.KeptOnUndo}");
        }
    }
}
