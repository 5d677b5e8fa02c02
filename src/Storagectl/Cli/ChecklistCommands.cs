using System.CommandLine;
using Storagectl.Checks;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>`storagectl checklist <env>`: the deployment checklist, gates judged by machine and the rest printed for people.</summary>
public static class ChecklistCommands
{
    private static readonly Option<string?> ArtifactOption = new("--artifact") { Description = "the artifact about to ship: names the version and rehearses its migrations" };

    public static Command Checklist()
    {
        var command = new Command("checklist", "tests, changelog, migrations on a copy of each database, endpoints and error rate; exit 1 when a gate fails")
            { EnvironmentArgument, TenantOption, ArtifactOption, ReleaseCommands.SkipTestsOption, ReleaseCommands.TestCommandOption, ReleaseCommands.RepoOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var (config, environment, tenant) = VerbScope.Of(parse);
            var artifact = parse.GetValue(ArtifactOption) is { } file ? Artifact.Load(file) : null;
            if (parse.GetValue(ReleaseCommands.SkipTestsOption)) Console.Error.WriteLine("warning: --skip-tests: the checklist does not know whether the tests pass");
            var request = new ChecklistRequest(config, environment, tenant, artifact, Path.GetFullPath(parse.GetValue(ReleaseCommands.RepoOption)!),
                parse.GetValue(ReleaseCommands.SkipTestsOption) ? null : parse.GetValue(ReleaseCommands.TestCommandOption), Console.Error);
            await using var fleet = new HostFleet(config);
            var items = await DeployChecklist.RunAsync(request, fleet, cancel);
            foreach (var item in items) Console.WriteLine(item);
            var failed = items.Count(i => i.Status == CheckStatus.Failed);
            Console.WriteLine(failed == 0
                ? $"checklist for {environment.Name}: every gate passed; {items.Count(i => i.Status == CheckStatus.Manual)} items are for people"
                : $"checklist for {environment.Name}: {failed} gate(s) failed");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
