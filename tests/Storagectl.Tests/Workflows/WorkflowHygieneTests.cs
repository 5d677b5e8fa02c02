using System.Text.RegularExpressions;
using Storagectl.Cli;

namespace Storagectl.Tests.Workflows;

/// <summary>Rules for both workflows: storagectl calls that exist, actions pinned to commits, timeouts, and nothing pasted into scripts.</summary>
public sealed partial class WorkflowHygieneTests
{
    private static readonly string[] WorkflowFiles = ["ci.yml", "deploy.yml"];

    public static TheoryData<string> Files => new(WorkflowFiles);

    /// <summary>The only actions the workflows may use: GitHub's own.</summary>
    private static readonly string[] Actions = ["actions/checkout", "actions/setup-dotnet", "actions/upload-artifact", "actions/download-artifact"];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_storagectl_call_names_a_verb_and_options_that_exist(string file)
    {
        var root = StoragectlCommand.Create();
        var calls = Workflow.Load(file).Steps.SelectMany(s => StoragectlCalls.In(s.Run ?? "")).ToList();

        calls.ShouldNotBeEmpty();
        calls.SelectMany(c => StoragectlCalls.Problems(c, root)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Actions_are_the_official_ones_pinned_to_a_commit_with_the_version_in_a_comment(string file)
    {
        // A tag can be moved to other code; a commit cannot. The comment is what people and Dependabot read.
        var workflow = Workflow.Load(file);
        var pins = UsesLines(workflow.Text).ToList();

        pins.Count.ShouldBe(workflow.Steps.Count(s => s.Uses is not null) + workflow.Jobs.Values.Count(j => j.Uses is not null),
            "every uses: is on a line of its own, unquoted");
        foreach (var (line, target, comment) in pins.Where(p => !p.Target.StartsWith("./")))
        {
            var match = PinnedAction().Match(target);
            match.Success.ShouldBeTrue($"`{line}` should be owner/action@<40 hex digits>");
            Actions.ShouldContain(match.Groups["action"].Value, line);
            comment.ShouldNotBeNull(line).ShouldMatch(@"^v\d+\.\d+\.\d+$", line);
        }
    }

    [Fact]
    public void Each_action_is_pinned_to_one_commit_everywhere()
    {
        var pins = WorkflowFiles.Select(Workflow.Load).SelectMany(w => UsesLines(w.Text))
            .Where(p => !p.Target.StartsWith("./")).ToList();

        foreach (var action in pins.GroupBy(p => p.Target.Split('@')[0]))
            action.Select(p => $"{p.Target} # {p.Comment}").Distinct().ShouldHaveSingleItem(action.Key);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_job_on_a_runner_has_a_timeout(string file)
    {
        // GitHub's default is 6 hours: a hung test or deploy would hold a runner (and a deploy lock) that long.
        foreach (var job in Workflow.Load(file).Jobs.Values)
        {
            if (job.RunsOn is null)
            {
                job.Uses.ShouldNotBeNull($"{job.Name} has neither runs-on nor uses");
                continue;
            }
            int.TryParse(job.TimeoutMinutes, out var minutes).ShouldBeTrue($"{job.Name} should have timeout-minutes");
            minutes.ShouldBeInRange(5, 90, job.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Secrets_and_inputs_reach_scripts_only_through_env(string file)
    {
        // Pasted into a script, a secret shows in the script GitHub logs, and an input or branch name could inject shell.
        foreach (var step in Workflow.Load(file).Steps.Where(s => s.Run is not null))
            foreach (var pasted in new[] { "secrets.", "inputs.", "github.event.", "github.head_ref" })
                step.Run!.ShouldNotContain(pasted, Case.Sensitive, step.ToString());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void The_dotnet_sdk_is_10(string file)
    {
        var setups = Workflow.Load(file).Steps.Where(s => s.UsesAction("actions/setup-dotnet")).ToList();

        setups.ShouldNotBeEmpty();
        foreach (var setup in setups) setup.With["dotnet-version"].ShouldBe("10.0.x");
    }

    [Fact]
    public void The_test_job_leaves_installing_what_the_tests_use_to_readmes_command()
    {
        var steps = Workflow.Load("ci.yml").Jobs["test"].Steps;

        // ./test.sh installs sshd, nginx, PostgreSQL, ... from tests/prerequisites.tsv: one list, not one per workflow.
        steps.ShouldContain(s => s.Run != null && s.Run.StartsWith(RepositoryFiles.ReadmeTestCommand()));
        foreach (var step in steps.Where(s => s.Run?.Contains("apt-get install") == true))
            foreach (var package in new[] { "openssh-server", "nginx", "sqlite3", "postgresql" }) step.Run!.ShouldNotContain(package);
        steps.First(s => s.Uses is not null).With["fetch-depth"].ShouldBe("0");
    }

    [Fact]
    public void The_suite_is_ci_ymls_whichever_workflow_runs_it()
    {
        // deploy.yml's test job is ci.yml itself, called: the same lint, build and test command, not a copy of them.
        var deploy = Workflow.Load("deploy.yml");

        deploy.Jobs["test"].Uses.ShouldBe("./.github/workflows/ci.yml");
        deploy.Steps.ShouldNotContain(s => s.Run != null && s.Run.Contains("./test.sh"));
    }

    /// <summary>Each `uses:` line of a workflow's text: what it names, and the comment after it (null without one).</summary>
    internal static IEnumerable<(string Line, string Target, string? Comment)> UsesLines(string text) =>
        text.Split('\n').Select(line => (line, match: UsesLine().Match(line))).Where(m => m.match.Success)
            .Select(m => (m.line.Trim(), m.match.Groups["target"].Value, m.match.Groups["comment"].Success ? m.match.Groups["comment"].Value.Trim() : null));

    [GeneratedRegex(@"^\s*(?:-\s+)?uses:\s+(?<target>\S+)(?:\s+#\s*(?<comment>.*))?$")]
    private static partial Regex UsesLine();

    [GeneratedRegex("^(?<action>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)@[0-9a-f]{40}$")]
    private static partial Regex PinnedAction();
}
