using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>The tenant's deploys.jsonl, one <see cref="DeployRecord"/> a line.</summary>
public static class HistoryCommands
{
    /// <summary>Appends the record (given on stdin) as one line; O_APPEND keeps concurrent lines whole.</summary>
    public static string Append(TenantPaths paths) => $"mkdir -p {Shell.Quote(paths.Root)} && cat >> {Shell.Quote(paths.History)}";
}
