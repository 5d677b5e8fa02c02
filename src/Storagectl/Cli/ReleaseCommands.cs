using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.Releases;

namespace Storagectl.Cli;

/// <summary>release, hotfix and branch-check: thin verbs over the git flows in Releases/.</summary>
public static class ReleaseCommands
{
    internal static readonly Option<bool> SkipTestsOption = new("--skip-tests") { Description = "do not run the test command (loudly warned)" };
    internal static readonly Option<string> TestCommandOption = new("--test-command") { Description = "the gate, run with bash in the repository root", DefaultValueFactory = _ => TestCommand.Default };
    internal static readonly Option<string> RepoOption = new("--repo") { Description = "the git repository to work in", DefaultValueFactory = _ => "." };
    private static readonly Option<bool> PushOption = new("--push") { Description = "push the result to origin (default: everything stays local)" };

    public static Command Release()
    {
        var version = new Option<string?>("--version") { Description = "release this version instead of the one computed from the commits" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the version, the changelog section and the git commands; change nothing" };
        var command = new Command("release", "cut a release from main: next version from the commits, CHANGELOG.md, tag vX.Y.Z, branch release/vX.Y.Z")
            { version, dryRun, PushOption, SkipTestsOption, TestCommandOption, RepoOption };
        command.SetGuardedAction(async (parse, _) =>
        {
            var git = RepositoryAt(parse);
            var request = new ReleaseRequest(parse.GetValue(version), parse.GetValue(dryRun), parse.GetValue(PushOption), parse.GetValue(SkipTestsOption), parse.GetValue(TestCommandOption)!);
            var plan = await new ReleaseFlow(git, TimeProvider.System, Console.Error).RunAsync(request);
            if (request.DryRun)
            {
                Console.Write(plan.Describe());
                return 0;
            }
            Console.WriteLine($"released {plan.Tag} ({(plan.Previous is null ? "first release" : $"last release {plan.Previous}")}): commit 'chore(release): {plan.Tag}', tag {plan.Tag}, branch {plan.Branch}");
            Console.WriteLine();
            Console.Write(plan.Section);
            Console.WriteLine();
            Console.WriteLine(plan.Pushing ? $"pushed main, {plan.Tag} and {plan.Branch} to origin" : $"not pushed; when ready: {plan.Push}");
            return 0;
        });
        return command;
    }

    public static Command Hotfix()
    {
        var name = new Argument<string>("name") { Description = "what the hotfix is about: lowercase letters, digits and dashes" };
        var start = new Command("start", "create hotfix/<name> from the latest release tag on main and check it out") { name, RepoOption };
        start.SetGuardedAction(async (parse, _) =>
        {
            var (branch, from) = await new HotfixFlow(RepositoryAt(parse), TimeProvider.System).StartAsync(parse.GetValue(name)!);
            Console.WriteLine($"on {branch}, started from {from}: commit the fix, then run `storagectl hotfix finish`");
            return 0;
        });

        var finish = new Command("finish", "merge the hotfix into main, tag the next patch version, merge main back into dev") { PushOption, RepoOption };
        finish.SetGuardedAction(async (parse, _) =>
        {
            var outcome = await new HotfixFlow(RepositoryAt(parse), TimeProvider.System).FinishAsync(parse.GetValue(PushOption));
            Console.WriteLine($"released {outcome.Tag}: {outcome.Branch} merged into main, tagged {outcome.Tag}");
            Console.WriteLine();
            Console.Write(outcome.Section);
            Console.WriteLine();
            if (!outcome.BackportedToDev)
            {
                Console.Error.WriteLine($"error: merging main into dev conflicts in: {string.Join(", ", outcome.Conflicts)}");
                Console.Error.WriteLine($"  the merge was aborted and dev (checked out) is unchanged; main and the tag {outcome.Tag} stay (nothing was pushed).");
                Console.Error.WriteLine("  to finish by hand: git checkout dev && git merge main, resolve the files above, git commit,");
                Console.Error.WriteLine($"  then: {outcome.Push}");
                return 1;
            }
            Console.WriteLine($"merged main into dev (now checked out); {outcome.Branch} can be deleted");
            Console.WriteLine(outcome.Pushed ? $"pushed main, dev and {outcome.Tag} to origin" : $"not pushed; when ready: {outcome.Push}");
            return 0;
        });

        return new Command("hotfix", "fix a released version: start a branch from the last release, finish into main and dev") { start, finish };
    }

    public static Command BranchCheck()
    {
        var source = new Option<string?>("--source") { Description = "the pull request's branch (default: $GITHUB_HEAD_REF)" };
        var target = new Option<string?>("--target") { Description = "the branch it merges into (default: $GITHUB_BASE_REF)" };
        var command = new Command("branch-check", "check that a pull request goes between allowed branches (main <- dev, release/*, hotfix/*; dev <- feature/*, fix/*, hotfix/*)")
            { source, target };
        command.SetAction(parse =>
        {
            var from = parse.GetValue(source) ?? MachineEnvironment.Get("GITHUB_HEAD_REF");
            var into = parse.GetValue(target) ?? MachineEnvironment.Get("GITHUB_BASE_REF");
            if (from is null || into is null)
            {
                Console.Error.WriteLine("error: name the branches with --source and --target (or run in a pull request, where GITHUB_HEAD_REF and GITHUB_BASE_REF are set)");
                return 2;
            }
            var verdict = BranchRules.Check(from, into);
            if (verdict.Allowed) Console.WriteLine(verdict.Message);
            else Console.Error.WriteLine($"error: {verdict.Message}");
            return verdict.Allowed ? 0 : 1;
        });
        return command;
    }


    private static Git RepositoryAt(ParseResult parse)
    {
        var folder = parse.GetValue(RepoOption)!;
        return Directory.Exists(folder) ? new Git(folder) : throw new ReleaseException($"--repo {folder}: no such folder");
    }
}
