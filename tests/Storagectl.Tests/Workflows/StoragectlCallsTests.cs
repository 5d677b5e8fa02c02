using Storagectl.Cli;

namespace Storagectl.Tests.Workflows;

/// <summary>The checker behind the workflow tests finds every way CI calls storagectl and catches what does not exist.</summary>
public sealed class StoragectlCallsTests
{
    private static readonly System.CommandLine.RootCommand Root = StoragectlCommand.Create();

    [Theory]
    [InlineData("storagectl status staging --plain")]
    [InlineData("dotnet run --project src/Storagectl -- status staging --plain")]
    [InlineData("dotnet run --project src/Storagectl -c Release --no-build -- status staging --plain")]
    [InlineData("dotnet publish/storagectl.dll status staging --plain")]
    [InlineData("set -e; storagectl status staging --plain | tee status.txt")]
    public void Finds_each_way_of_calling_storagectl(string line)
    {
        StoragectlCalls.In(line).ShouldHaveSingleItem().Words.ShouldBe(["status", "staging", "--plain"]);
    }

    [Theory]
    [InlineData("echo \"cut releases with storagectl release\"")]
    [InlineData("# storagectl deploy staging")]
    [InlineData("dotnet build src/Storagectl")]
    public void Mentions_are_not_calls(string line)
    {
        StoragectlCalls.In(line).ShouldBeEmpty();
    }

    [Fact]
    public void Quoted_values_and_optional_options_are_words()
    {
        var call = StoragectlCalls.In("storagectl rollback \"$TARGET\" ${TENANT:+--tenant \"$TENANT\"} --plain \\\n  --to 1.2.0").ShouldHaveSingleItem();

        call.Words.ShouldBe(["rollback", "$TARGET", "--tenant", "$TENANT", "--plain", "--to", "1.2.0"]);
    }

    [Theory]
    [InlineData("storagectl deploy staging --artifact a.tar.gz --plain")]
    [InlineData("storagectl lock status production --tenant acme -c deploy/storagectl.yml")]
    [InlineData("storagectl build --version=1.2.0")]
    [InlineData("storagectl checklist production --artifact a.tar.gz --skip-tests")]
    public void Existing_verbs_and_options_pass(string line)
    {
        StoragectlCalls.Problems(StoragectlCalls.In(line).Single(), Root).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("storagectl deploi staging", "no storagectl verb 'deploi'")]
    [InlineData("storagectl deploy staging --artefact a.tar.gz", "deploy has no option --artefact")]
    [InlineData("storagectl status staging --to 1.0.0", "status has no option --to")]
    [InlineData("storagectl lock production", "'lock' needs one of: status, release")]
    public void Unknown_verbs_and_options_are_named(string line, string problem)
    {
        StoragectlCalls.Problems(StoragectlCalls.In(line).Single(), Root).ShouldHaveSingleItem().ShouldContain(problem);
    }
}
