using System.CommandLine;
using Storagectl.Hosts;
using Storagectl.HostCommands;
using Storagectl.Planning;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>
/// `storagectl probe`: the isolation probe every deploy runs after its switch, for the whole environment as it runs
/// now. It takes no lock (it changes no release, slot or .env; the probe key and object it makes are its own and go
/// again), so it refuses while a run holds a tenant's lock: that run probes by itself. Each probed tenant's history
/// gets a `probe` line, as a provision's does: proof of isolation is a fact about the tenant worth keeping.
/// </summary>
public static class IsolationProbeCommand
{
    public static Command Probe()
    {
        var command = new Command("probe", "prove each tenant's isolation with a probe key and object it removes again; exit 1 on any failed check")
            { EnvironmentArgument, TenantOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var (context, fleet) = await FleetProbe.ProbeAsync(VerbScope.Of(parse), cancel);
            await using var _ = fleet;
            var step = IsolationProbePlan.ForEnvironment(context);
            var locked = IsolationProbePlan.Locked(context, step);
            if (locked.Count > 0)
            {
                foreach (var (subject, blocker) in locked) Console.Error.WriteLine($"error: {subject.Name}: {blocker} (a deploy or rollback probes by itself; probe once it is done)");
                return 1;
            }
            var started = DateTimeOffset.UtcNow;
            var report = await new IsolationProbe(fleet.For).RunAsync(step, cancel);

            var table = new TextTable(ProbeReport.Headers);
            foreach (var row in report.Rows) table.Add(row);
            table.Write(Reporters.IsPlain(parse));
            foreach (var note in report.Notes) Console.WriteLine(note);
            foreach (var failure in report.CleanupFailures) Console.WriteLine("cleanup FAILED: " + failure);
            Console.WriteLine(report.Summary);
            await RecordAsync(context, step, report, started, fleet);
            return report.Passed ? 0 : 1;
        });
        return command;
    }

    /// <summary>A `probe` line in the history of every probed instance that runs a release.</summary>
    private static async Task RecordAsync(PlanContext context, IsolationProbeStep step, ProbeReport report, DateTimeOffset started, HostFleet fleet)
    {
        await Task.WhenAll(step.Subjects.Select(async subject =>
        {
            var state = context.StateOf(context.Environment.Tenants[subject.Tenant], subject.Host);
            var label = report.Checks.Any(c => c.Tenant == subject.Name) ? subject.Name : subject.Tenant;
            var failed = report.Failed.Where(c => c.Tenant == label).Select(c => c.ToString())
                .Concat(report.CleanupFailures.Where(f => f.StartsWith(label + ":"))).ToList();
            if (RoutineRecord.Of(DeployPlan.Probe, context.Environment.Name, subject.Tenant, subject.Host.Name, state, context.Who, started, failed) is { } record)
                await RoutineRecord.AppendAsync(fleet, subject.Host, subject.Paths, record);
        }));
    }
}
