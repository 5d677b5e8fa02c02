using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Runs;

/// <summary>The one way a plan is run, from a verb or from the dashboard: the executor, with the run journaled for the dashboard.</summary>
public static class PlanExecution
{
    /// <param name="configFile">The configuration the plan came from: the dashboard shows only runs of its own configuration.</param>
    public static async Task<DeployOutcome> RunAsync(string configFile, DeployPlan plan, HostFleet fleet, IDeployReporter reporter, CancellationToken cancel)
    {
        using var journal = RunJournal.Start(configFile, plan, reporter);
        var outcome = await new DeployExecutor(t => fleet.For(t.Host), journal, TimeProvider.System, fleet.For).RunAsync(plan, cancel);
        journal.End(outcome);
        return outcome;
    }
}
