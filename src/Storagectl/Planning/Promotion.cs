using System.Globalization;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>Whether an environment may take an artifact: what was found, and when it may not, what to run.</summary>
public sealed record PromotionVerdict(bool Passed, string Finding, string? Next = null)
{
    /// <summary>The one line a refusal prints: what is missing, then what to run.</summary>
    public string Line => Next is null ? Finding : $"{Finding}; {Next}";
}

/// <summary>
/// The promotion rule, as a pure function of what the promote_from environment's hosts hold: an environment with
/// `promote_from: staging` takes an artifact only when, on every tenant and host of staging, the newest `checklist`
/// record for the artifact's sha256 succeeded. Staging may run a newer build by now: the record is what counts,
/// not what runs. The bytes are the identity, so a rebuild of the same commit (another sha256) never passed.
/// </summary>
public static class Promotion
{
    /// <param name="artifact">The artifact given as <paramref name="artifactFile"/>; null for a build of the checkout, which never ran anywhere.</param>
    /// <param name="source">Each tenant@host of the promote_from environment: its state (history deep enough to hold the checklist), or why it could not be read.</param>
    public static PromotionVerdict Judge(string environment, string from, Artifact? artifact, string? artifactFile,
        IReadOnlyDictionary<(string Tenant, string Host), (HostState? State, string? Error)> source)
    {
        var rule = $"{environment} takes only what {from}'s checklist passed";
        const string skip = "or deploy with --skip-staging \"<reason>\"";
        if (artifact is null || artifactFile is null)
            return new(false, $"{rule}, and a build of the checkout never ran there", $"give --artifact with the file {from}'s checklist passed, {skip}");
        var what = $"{artifact.Version} (sha256 {Artifact.ShortHash(artifact.Sha256)}…)";
        if (source.Count == 0) return new(false, $"{rule}, and {from} has no tenant to run {what}", skip);

        var findings = source.OrderBy(s => s.Key.Tenant, StringComparer.Ordinal).ThenBy(s => s.Key.Host, StringComparer.Ordinal)
            .Select(s => (Name: $"{s.Key.Tenant}@{s.Key.Host}", Finding: Find(s.Value.State, s.Value.Error, artifact.Sha256))).ToList();
        var missing = findings.Where(f => f.Finding.Kind != Passed).ToList();
        if (missing.Count == 0)
            return new(true, $"promotion: {from}'s checklist passed {what} on {string.Join(", ", findings.Select(f => $"{f.Name} ({f.Finding.Detail})"))}");

        var file = Shell.Quote(artifactFile);
        var next = missing.Any(m => m.Finding.Kind == NeverRan)
            ? $"deploy it to {from} and pass its checklist: storagectl deploy {from} --artifact {file} && storagectl checklist {from} --artifact {file}"
            : missing.Any(m => m.Finding.Kind != Unreadable) ? $"run storagectl checklist {from} --artifact {file}"
            : $"run again once {from}'s hosts answer";
        return new(false, $"{rule}, and it has not passed {what}: {string.Join("; ", missing.Select(m => $"{m.Name} {m.Finding.Detail}"))}", $"{next}, {skip}");
    }

    private const string Passed = "passed", NeverRan = "never ran", NotChecked = "not checked", Failed = "failed", Unreadable = "unreadable";

    /// <summary>What one tenant@host of the promote_from environment holds for the sha256: a kind above and the words for it.</summary>
    private static (string Kind, string Detail) Find(HostState? state, string? error, string sha256)
    {
        if (state is null) return (Unreadable, $"could not be read ({error})");
        bool Same(string? other) => Artifact.SameBytes(sha256, other);
        var checklist = state.History.LastOrDefault(r => r.Kind == DeployPlan.Checklist && Same(r.Sha256));
        if (checklist?.Outcome == DeployRecord.Succeeded) return (Passed, $"checklist {When(checklist)} by {checklist.Who}");
        if (checklist is not null) return (Failed, $"ran it, but its checklist failed {When(checklist)}: {checklist.Error}");
        var ran = Same(state.RunningSha256) || state.History.Any(r => Same(r.Sha256) && r.Outcome == DeployRecord.Succeeded);
        return ran ? (NotChecked, "ran it, but its checklist never passed") : (NeverRan, "never ran it");
    }

    private static string When(DeployRecord record) => record.FinishedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
