using System.CommandLine;
using Storagectl.Checks;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>
/// `storagectl checklist <env>`: the deployment checklist, gates judged by machine and the rest printed for people.
/// After the deploy of the artifact it is asked about, its outcome goes into each checked tenant's history as a
/// `checklist` line with the artifact's sha256: what an environment with promote_from looks for before it deploys.
/// </summary>
public static class ChecklistCommands
{
    private static readonly Option<string?> ArtifactOption = new("--artifact")
        { Description = "the artifact about to ship (names the version, rehearses its migrations) or, once the environment runs it, just shipped (checks it runs, probes isolation, records the outcome)" };

    public static Command Checklist()
    {
        var command = new Command("checklist", "tests, changelog, migrations on a copy of each database (or, after the deploy, the running sha256 and the isolation probe), endpoints and error rate; exit 1 when a gate fails")
            { EnvironmentArgument, TenantOption, ArtifactOption, ReleaseCommands.SkipTestsOption, ReleaseCommands.TestCommandOption, ReleaseCommands.RepoOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var (config, environment, tenant) = VerbScope.Of(parse);
            var artifact = parse.GetValue(ArtifactOption) is { } file ? Artifact.Load(file) : null;
            if (parse.GetValue(ReleaseCommands.SkipTestsOption)) Console.Error.WriteLine("warning: --skip-tests: the checklist does not know whether the tests pass");
            var request = new ChecklistRequest(config, environment, tenant, artifact, Path.GetFullPath(parse.GetValue(ReleaseCommands.RepoOption)!),
                parse.GetValue(ReleaseCommands.SkipTestsOption) ? null : parse.GetValue(ReleaseCommands.TestCommandOption), Console.Error, Operator.Who());
            var started = DateTimeOffset.UtcNow;
            await using var fleet = new HostFleet(config);
            var run = await DeployChecklist.RunAsync(request, fleet, cancel);
            foreach (var item in run.Items) Console.WriteLine(item);
            Console.WriteLine(run.FailedCount == 0
                ? $"checklist for {environment.Name}: every gate passed; {run.Items.Count(i => i.Status == CheckStatus.Manual)} items are for people"
                : $"checklist for {environment.Name}: {run.FailedCount} gate(s) failed");
            if (run.AfterDeploy.Count > 0) await RecordAsync(request, run, started, fleet);
            return run.FailedCount == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>A `checklist` line for every checked tenant@host: the outcome of the whole checklist, which a promotion needs on each.</summary>
    private static async Task RecordAsync(ChecklistRequest request, ChecklistRun run, DateTimeOffset started, HostFleet fleet)
    {
        var failed = run.Items.Where(i => i.Status == CheckStatus.Failed).Select(i => i.Detail.Length == 0 ? i.Title : $"{i.Title}: {i.Detail}").ToList();
        var written = await Task.WhenAll(run.AfterDeploy.Select(async target =>
            RoutineRecord.Of(DeployPlan.Checklist, request.Environment.Name, target.Tenant.Name, target.Host.Name, target.State, request.Who, started, failed) is { } record
            && await RoutineRecord.AppendAsync(fleet, target.Host, new TenantPaths(target.Host.Root, target.Tenant.Name), record) ? target.Name : null));
        if (written.Any(w => w is not null))
            Console.WriteLine($"recorded in the history of {string.Join(", ", written.OfType<string>())}: checklist {(failed.Count == 0 ? DeployRecord.Succeeded : DeployRecord.Failed)} " +
                              $"for {request.Artifact!.Version} (sha256 {Artifact.ShortHash(request.Artifact.Sha256)}…)");
    }
}
