using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;
using Storagectl.Runs;

namespace Storagectl.Cli;

/// <summary>How a verb shows progress and tables: plain lines for logs, or live output at a terminal.</summary>
public static class Reporters
{
    /// <summary>Plain output when asked, in CI, or when the output goes to a file or pipe.</summary>
    public static bool IsPlain(ParseResult parse) =>
        parse.GetValue(CommonOptions.PlainOption) || Console.IsOutputRedirected || MachineEnvironment.Get("CI") is not null;

    /// <summary>
    /// Runs a plan showing its progress: plain lines for logs, or a live table at a terminal; <paramref name="wrap"/>
    /// may put a reporter of the verb's own in between.
    /// </summary>
    public static Task<DeployOutcome> RunPlanAsync(ParseResult parse, DeployPlan plan, HostFleet fleet, CancellationToken cancel,
        Func<IDeployReporter, IDeployReporter>? wrap = null)
    {
        var config = parse.GetValue(CommonOptions.ConfigOption)!;
        Task<DeployOutcome> Run(IDeployReporter reporter) => PlanExecution.RunAsync(config, plan, fleet, wrap is null ? reporter : wrap(reporter), cancel);
        if (IsPlain(parse)) return Run(new PlainReporter(Console.Out));
        var live = new LiveReporter();
        return live.ShowWhileAsync(() => Run(live));
    }
}
