using System.CommandLine;
using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Cli;

/// <summary>What verbs do with a plan: print it, or run it when nothing blocks it. The one place a plan's blockers are checked.</summary>
public static class PlanRunner
{
    /// <summary>Prints a plan and what blocks it; exit code 1 when something does.</summary>
    public static int Print(DeployPlan plan)
    {
        Console.Write(plan.Print());
        foreach (var blocker in plan.Blockers) Console.Error.WriteLine($"blocked: {blocker}");
        return plan.Blockers.Count == 0 ? 0 : 1;
    }

    /// <summary>Runs a plan that is not blocked and says how it ended; exit code 0 or 1.</summary>
    public static async Task<int> RunAsync(ParseResult parse, DeployPlan plan, HostFleet fleet, CancellationToken cancel)
    {
        if (plan.Blockers.Count > 0)
        {
            foreach (var blocker in plan.Blockers) Console.Error.WriteLine($"error: {blocker}");
            return 1;
        }
        if (plan.Artifact is { IsBuilt: false }) throw new InvalidOperationException("an artifact that was only described cannot be deployed");
        var what = plan.Kind switch
        {
            DeployPlan.Deploy => $"deploy of {plan.Artifact!.Version} to {plan.Environment}",
            _ => $"{plan.Kind} of {plan.Environment}",
        };
        // Say where each target goes (and why, when that was a choice) before anything runs.
        if (plan.ChangesVersions)
            foreach (var target in plan.Targets) Console.WriteLine($"{plan.Kind} {target.Change}");
        var outcome = await Reporters.RunPlanAsync(parse, plan, fleet, cancel);
        var targets = string.Join(", ", plan.Targets.Select(t => plan.ChangesVersions ? $"{t.Name} {t.FromVersion ?? "(nothing)"} -> {t.ToVersion}" : t.Name));
        Console.WriteLine(outcome.Succeeded ? $"{what} done: {targets}"
            : outcome.Targets.All(t => t.Outcome == DeployRecord.Refused) ? $"{what} refused, nothing changed: {outcome.FirstError}"
            : plan.ChangesVersions ? $"{what} failed; the failed ring is back on the versions it ran before: {outcome.FirstError}"
            : $"{what} failed; the failed target was put back as it was: {outcome.FirstError}");
        return outcome.Succeeded ? 0 : 1;
    }
}
