using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>`storagectl backup &lt;env&gt; [--tenant t] [--verify]`: backup-now per tenant, optionally with a restore drill on the host.</summary>
public static class BackupVerb
{
    private static readonly Option<bool> VerifyOption = new("--verify") { Description = "then restore that snapshot into a scratch folder on the host, re-hash every blob and compare counts and digest" };

    public static Command Backup()
    {
        var command = new Command("backup", "take an off-host backup of each tenant now (storage-api backup-now); --verify adds a restore drill; exit 1 on any failure")
            { EnvironmentArgument, TenantOption, VerifyOption, DryRunOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var scope = VerbScope.Of(parse);
            var (context, fleet) = await FleetProbe.ProbeAsync(scope, cancel);
            await using var _ = fleet;
            var plans = BackupPlanner.Plan(context, SecretSource.FromMachine(scope.Config.SecretsFile), parse.GetValue(VerifyOption));
            if (parse.GetValue(DryRunOption)) return plans.Select(PlanRunner.Print).Max();
            var results = new List<string>();
            var failed = 0;
            foreach (var plan in plans)
            {
                var target = plan.Targets.Single();
                if (target.Blocker is { } blocker)
                {
                    Console.Error.WriteLine($"error: {target.Name}: {blocker}");
                    results.Add($"{target.Name}: FAILED: {blocker}");
                    failed++;
                    continue;
                }
                var outcome = await Reporters.RunPlanAsync(parse, plan, fleet, cancel);
                results.Add(outcome.Succeeded ? $"{target.Name}: ok" : $"{target.Name}: FAILED: {outcome.FirstError}");
                if (!outcome.Succeeded) failed++;
            }
            foreach (var line in results) Console.WriteLine(line);
            Console.WriteLine(failed == 0 ? $"backup of {context.Environment.Name} done: {plans.Count} tenant(s)" : $"backup of {context.Environment.Name}: {failed} of {plans.Count} failed");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
