using System.Text.Json;

namespace Storagectl.Planning;

/// <summary>One line of a tenant's deploys.jsonl on a host: who deployed or rolled back what, when, and how it ended.</summary>
public sealed record DeployRecord(
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Environment, string Tenant, string Host,
    string Version, string? Commit, string? PreviousVersion, string Who, string Outcome, string? Error, string? Kind = DeployPlan.Deploy)
{
    public const string Succeeded = "succeeded";
    public const string RolledBack = "rolled-back";
    /// <summary>Another run held the lock: nothing was changed.</summary>
    public const string Refused = "refused";
    /// <summary>A run that ended without finishing (its process was killed), recorded when its lock is broken.</summary>
    public const string Abandoned = "abandoned";
    /// <summary>A check found something wrong and nothing was changed (`storagectl probe`).</summary>
    public const string Failed = "failed";

    /// <summary>
    /// The sha256 of the artifact the run went to (a deploy's artifact, a rollback's kept manifest, what a checklist
    /// found running): how production proves it takes the bytes staging passed. Null in lines written before it was kept.
    /// </summary>
    public string? Sha256 { get; init; }

    /// <summary>Why a deploy went ahead without the promote_from environment's checklist (`--skip-staging "reason"`); null otherwise.</summary>
    public string? SkipStaging { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions.Compact);

    public static DeployRecord? FromJson(string line)
    {
        try { return JsonSerializer.Deserialize<DeployRecord>(line, JsonOptions.Compact); }
        catch (JsonException) { return null; }
    }
}
