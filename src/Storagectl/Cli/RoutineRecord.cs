using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Cli;

/// <summary>
/// The history line of a verb that checks a tenant and changes nothing (`probe`, `checklist` after a deploy): the
/// release that runs, its commit and sha256 from the kept manifest, and whether every check passed. Proof about
/// what runs is a fact worth keeping, and `deploy` looks for the checklist's line before it promotes.
/// </summary>
public static class RoutineRecord
{
    /// <param name="failed">The failed checks, named; none: succeeded.</param>
    /// <returns>Null when nothing runs there: there is nothing to say it about.</returns>
    public static DeployRecord? Of(string kind, string environment, string tenant, string host, HostState state, string who,
        DateTimeOffset started, IReadOnlyList<string> failed) =>
        state.CurrentVersion is not { } version ? null
        : new DeployRecord(started, DateTimeOffset.UtcNow, environment, tenant, host, version, state.Manifests.GetValueOrDefault(version)?.Commit, version, who,
            failed.Count == 0 ? DeployRecord.Succeeded : DeployRecord.Failed, failed.Count == 0 ? null : string.Join("; ", failed), kind)
            { Sha256 = state.RunningSha256 };

    /// <summary>Appends the line to the tenant's deploys.jsonl on the host; a failed write is said, not fatal (the checks ran either way).</summary>
    /// <returns>Whether the line was written.</returns>
    public static async Task<bool> AppendAsync(HostFleet fleet, HostConfig host, TenantPaths paths, DeployRecord record)
    {
        var written = await fleet.For(host).RunAsync(HistoryCommands.Append(paths), record.ToJson() + "\n");
        if (!written.Succeeded) Console.Error.WriteLine($"warning: {record.Tenant}@{host.Name}: the {record.Kind} was not recorded in its history: {written.Reason}");
        return written.Succeeded;
    }
}
