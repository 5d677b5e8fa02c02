using Storagectl.Tests.Releasing;

namespace Storagectl.Tests.Cli;

/// <summary>
/// Through the built binary: a command line storagectl cannot understand is one line on stderr and exit code 2, never
/// the whole help; --help still prints the help and succeeds.
/// </summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("deplyo staging", "error: storagectl has no verb 'deplyo' (did you mean deploy?); see `storagectl --help`")]
    [InlineData("plan staging --artefact a.tar.gz", "error: storagectl plan has no option --artefact (did you mean --artifact?); see `storagectl plan --help`")]
    [InlineData("plan --artefact a.tar.gz", "error: storagectl plan has no option --artefact (did you mean --artifact?); see `storagectl plan --help`")]
    [InlineData("status staging --plian", "error: storagectl status has no option --plian (did you mean --plain?); see `storagectl status --help`")]
    [InlineData("plan", "error: storagectl plan needs <environment>; see `storagectl plan --help`")]
    [InlineData("status staging production", "error: storagectl status: unexpected argument 'production'; see `storagectl status --help`")]
    [InlineData("lock", "error: storagectl lock needs one of: status, release; see `storagectl lock --help`")]
    [InlineData("lock status", "error: storagectl lock status needs <environment>; see `storagectl lock status --help`")]
    [InlineData("history staging --limit many", "error: --limit: give a number from 1 to 10000; see `storagectl history --help`")]
    [InlineData("history staging --limit 0", "error: --limit: give a number from 1 to 10000; see `storagectl history --help`")]
    [InlineData("rollback staging --to ../etc", "error: --to: '../etc' is not a version; see `storagectl rollback --help`")]
    public async Task A_usage_error_is_one_line_and_exit_code_2(string command, string message)
    {
        var result = await StoragectlProcess.RunAsync(command.Split(' '));

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Output.ShouldBeEmpty();
        result.Errors.TrimEnd().ShouldBe(message);
    }

    [Fact]
    public async Task Skip_staging_needs_a_reason()
    {
        var result = await StoragectlProcess.RunAsync(["deploy", "production", "--skip-staging", " "]);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.TrimEnd().ShouldBe("error: --skip-staging: give the reason, e.g. --skip-staging \"hotfix for the outage; staging is down\"; see `storagectl deploy --help`");
    }

    [Fact]
    public async Task No_verb_at_all_lists_the_verbs_in_one_line()
    {
        var result = await StoragectlProcess.RunAsync([]);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.TrimEnd().Split('\n').ShouldHaveSingleItem().ShouldStartWith("error: storagectl needs one of: build, plan, deploy");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("plan --help")]
    [InlineData("plan staging --artefact a.tar.gz --help")]
    public async Task Help_prints_the_help_and_succeeds(string command)
    {
        var result = await StoragectlProcess.RunAsync(command.Split(' '));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("Usage:");
        result.Errors.ShouldBeEmpty();
    }
}
