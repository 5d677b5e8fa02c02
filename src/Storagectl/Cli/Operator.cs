using Storagectl.Configuration;

namespace Storagectl.Cli;

/// <summary>Who runs storagectl, as recorded in locks and history.</summary>
public static class Operator
{
    /// <summary>Set explicitly (STORAGECTL_WHO), the CI actor, or user@machine.</summary>
    public static string Who() =>
        MachineEnvironment.Get("STORAGECTL_WHO") is { } who ? who
        : MachineEnvironment.Get("GITHUB_ACTOR") is { } actor ? $"{actor} (ci)"
        : $"{Environment.UserName}@{Environment.MachineName}";
}
