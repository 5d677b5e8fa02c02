using System.CommandLine;
using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Cli;

/// <summary>What the promotion rule decided for a plan or deploy: go on (maybe recording why staging was skipped), or refuse with a line.</summary>
/// <param name="Refusal">The line that says what is missing and what to run; null when the run may go on.</param>
/// <param name="SkipStaging">The --skip-staging reason to record in every history line of the run, when staging was in fact skipped.</param>
public sealed record PromotionDecision(string? Refusal, string? SkipStaging);

/// <summary>
/// The promotion rule at the door of `plan` and `deploy`: before anything is built or changed, reads the promote_from
/// environment's hosts (read-only, as `status` does) and judges with <see cref="Promotion.Judge"/>.
/// </summary>
public static class PromotionGate
{
    public static readonly Option<string?> SkipStagingOption = new("--skip-staging")
    {
        Description = "deploy although the promote_from environment's checklist never passed the artifact; the reason goes into every history line of the run",
    };

    static PromotionGate() => SkipStagingOption.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<string?>() is { } reason && string.IsNullOrWhiteSpace(reason))
            result.AddError("--skip-staging: give the reason, e.g. --skip-staging \"hotfix for the outage; staging is down\"");
    });

    /// <summary>Enough lines of deploys.jsonl to find the checklist behind the dev deploys, probes and backups that came after it.</summary>
    public const int HistoryLines = 500;

    /// <param name="artifact">The artifact given with --artifact (from <paramref name="artifactFile"/>); null for a build of the checkout, which never passed anywhere.</param>
    public static async Task<PromotionDecision> DecideAsync(VerbScope scope, Artifact? artifact, string? artifactFile, string? skipStaging, CancellationToken cancel)
    {
        if (scope.Environment.PromoteFrom is not { } from)
        {
            if (skipStaging is not null) Console.Error.WriteLine($"warning: --skip-staging: {scope.Environment.Name} has no promote_from, so there is nothing to skip; not recorded");
            return new(null, null);
        }
        var verdict = Promotion.Judge(scope.Environment.Name, from, artifact, artifactFile, artifact is null ? new() : await ReadAsync(scope, from, cancel));
        if (verdict.Passed)
        {
            Console.WriteLine(verdict.Finding);
            if (skipStaging is not null) Console.Error.WriteLine($"warning: --skip-staging: {from} passed it, so nothing is skipped; not recorded");
            return new(null, null);
        }
        if (skipStaging is null) return new(verdict.Line, null);
        Console.Error.WriteLine($"warning: --skip-staging \"{skipStaging}\": {verdict.Finding}; going ahead, and the reason is recorded in every history line of the run");
        return new(null, skipStaging);
    }

    /// <summary>Every tenant@host of the environment promoted from, each as its state or why it could not be read (on one line).</summary>
    private static async Task<Dictionary<(string Tenant, string Host), (HostState? State, string? Error)>> ReadAsync(VerbScope scope, string from, CancellationToken cancel)
    {
        await using var fleet = new HostFleet(scope.Config);
        var probes = await fleet.ProbeEachAsync(scope.Config.Environment(from), null, cancel, HistoryLines);
        return probes.ToDictionary(p => p.Key, p => (p.Value.State, p.Value.Error is { } error ? Unreachable.OneLine(error) : null));
    }
}
