using Storagectl.Cli;

namespace Storagectl.Tests.Workflows;

/// <summary>Rules for both workflows: storagectl calls that exist, pinned actions, and nothing pasted into scripts.</summary>
public sealed class WorkflowHygieneTests
{
    public static TheoryData<string> Files => new() { "ci.yml", "deploy.yml" };

    private static readonly string[] Actions = ["actions/checkout@v4", "actions/setup-dotnet@v4", "actions/upload-artifact@v4", "actions/download-artifact@v4"];

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
    public void Actions_are_the_official_ones_pinned_to_a_major_version(string file)
    {
        var used = Workflow.Load(file).Steps.Select(s => s.Uses).OfType<string>().Distinct().ToList();

        used.ShouldNotBeEmpty();
        used.Where(u => !Actions.Contains(u)).ShouldBeEmpty();
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
        var setups = Workflow.Load(file).Steps.Where(s => s.Uses == "actions/setup-dotnet@v4").ToList();

        setups.ShouldNotBeEmpty();
        foreach (var setup in setups) setup.With["dotnet-version"].ShouldBe("10.0.x");
    }

    [Theory]
    [InlineData("ci.yml", "test")]
    [InlineData("deploy.yml", "test")]
    public void The_test_jobs_leave_installing_what_the_tests_use_to_readmes_command(string file, string job)
    {
        var steps = Workflow.Load(file).Jobs[job].Steps;

        // ./test.sh installs sshd, nginx, PostgreSQL, ... from tests/prerequisites.tsv: one list, not one per workflow.
        steps.ShouldContain(s => s.Run != null && s.Run.StartsWith(RepositoryFiles.ReadmeTestCommand()));
        foreach (var step in steps.Where(s => s.Run?.Contains("apt-get install") == true))
            foreach (var package in new[] { "openssh-server", "nginx", "sqlite3", "postgresql" }) step.Run!.ShouldNotContain(package);
        steps.First(s => s.Uses is not null).With["fetch-depth"].ShouldBe("0");
    }
}
