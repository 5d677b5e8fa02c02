using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Cli;

/// <summary>Reading the hosts a verb acts on into what a plan starts from.</summary>
public static class FleetProbe
{
    /// <summary>
    /// Reads every host of the scope (or only <paramref name="onlyHost"/>) into a plan context. The fleet's connections
    /// stay open for the verb to use; the caller disposes it.
    /// </summary>
    public static async Task<(PlanContext Context, HostFleet Fleet)> ProbeAsync(VerbScope scope, CancellationToken cancel,
        int historyLines = HostState.RecentHistory, string? onlyHost = null, string? who = null)
    {
        var fleet = new HostFleet(scope.Config);
        try
        {
            var states = await fleet.ProbeAsync(scope.Environment, scope.Tenant, cancel, historyLines, onlyHost);
            return (new PlanContext(scope.Config, scope.Environment, states, who ?? Operator.Who(), DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N"), scope.Tenant), fleet);
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }
}
