namespace Storagectl.Tests.Workflows;

/// <summary>
/// deploy.yml's rollback (Run workflow): storagectl and deploy/storagectl.yml come from main or a release tag named by
/// the `from` input, checked before anything uses it; never from the branch the dispatcher picked.
/// </summary>
public sealed class RollbackWorkflowTests
{
    private static readonly Job Rollback = Workflow.Load("deploy.yml").Jobs["rollback"];

    [Fact]
    public void A_rollback_runs_by_hand_only_and_waits_for_nothing()
    {
        // It ships nothing new: hosts switch back to a release they keep, which passed tests and health gates when it
        // was deployed. Waiting for a test run would only delay getting out of trouble.
        Rollback.If.ShouldBe("github.event_name == 'workflow_dispatch'");
        Rollback.Needs.ShouldBeEmpty();
        Rollback.Environment.ShouldBe("${{ inputs.environment }}");
        Rollback.Steps.ShouldNotContain(s => s.UsesAction("actions/download-artifact"));
        var call = Rollback.Steps.SelectMany(s => StoragectlCalls.In(s.Run ?? "")).First(c => c.Words[0] == "rollback");
        call.Words.ShouldBe(["rollback", "$TARGET", "--tenant", "$TENANT", "--to", "$TO_VERSION", "--plain"]);
        var env = Rollback.Steps.Single(s => StoragectlCalls.In(s.Run ?? "").Any(c => c.Words[0] == "rollback")).Env;
        env["TARGET"].ShouldBe("${{ inputs.environment }}");
        env["TENANT"].ShouldBe("${{ inputs.tenant }}");
        env["TO_VERSION"].ShouldBe("${{ inputs.to_version }}");
    }

    [Fact]
    public void A_rollback_gets_the_ssh_secrets_only()
    {
        // A rollback writes no .env: it switches to a release whose .env is already on the host.
        Rollback.Steps.SelectMany(s => s.Env.Values).Where(v => v.Contains("secrets."))
            .ShouldBe(["${{ secrets.DEPLOY_SSH_KEY }}", "${{ secrets.DEPLOY_KNOWN_HOSTS }}"], ignoreOrder: true);
    }

    [Fact]
    public void It_checks_out_the_validated_ref_before_anything_else_runs()
    {
        var steps = Rollback.Steps.ToList();
        var validate = steps[0];
        var checkout = steps.Single(s => s.UsesAction("actions/checkout"));

        validate.Id.ShouldNotBeNull();
        validate.Env.ShouldBe(new Dictionary<string, string> { ["FROM"] = "${{ inputs.from }}" }, "the input reaches the script as a variable only");
        steps.IndexOf(checkout).ShouldBe(1, "nothing of the dispatcher's branch runs before the checkout replaces it");
        checkout.With["ref"].ShouldBe($"${{{{ steps.{validate.Id}.outputs.ref }}}}");
    }

    [Fact]
    public void Storagectl_comes_from_that_checkout()
    {
        var steps = Rollback.Steps.ToList();
        var checkout = steps.FindIndex(s => s.UsesAction("actions/checkout"));
        var publish = steps.FindIndex(s => s.Run?.Contains("dotnet publish src/Storagectl") == true);
        var firstCall = steps.FindIndex(s => StoragectlCalls.In(s.Run ?? "").Count > 0);

        publish.ShouldBeGreaterThan(checkout);
        steps[publish].Run.ShouldNotBeNull().ShouldContain("""echo "$RUNNER_TEMP/storagectl" >> "$GITHUB_PATH" """.TrimEnd());
        firstCall.ShouldBeGreaterThan(publish);
        // An old release tag may predate the lock files that setup-dotnet's NuGet cache is keyed on.
        steps.Single(s => s.UsesAction("actions/setup-dotnet")).With.ShouldNotContainKey("cache");
    }

    [Theory]
    [InlineData("main", "refs/heads/main")]
    [InlineData("v1.2.3", "refs/tags/v1.2.3")]
    [InlineData("v10.0.12", "refs/tags/v10.0.12")]
    public async Task Main_and_release_tags_pass_as_full_refs(string from, string expected)
    {
        var (result, output) = await ValidateAsync(from);

        result.ExitCode.ShouldBe(0, result.ToString());
        output.ShouldBe($"ref={expected}\n");
    }

    [Theory]
    [InlineData("feature/x")]
    [InlineData("v1;rm")]
    [InlineData("v1.2")]
    [InlineData("v1.2.3-rc.1")]
    [InlineData("dev")]
    [InlineData("refs/heads/main")]
    [InlineData("main\nv1.2.3")]
    [InlineData("v1.2.3\n")]
    [InlineData("$(touch pwned)")]
    [InlineData("")]
    [InlineData("x\n::error::forged")]
    public async Task Anything_else_fails_and_names_what_is_allowed(string from)
    {
        var (result, output) = await ValidateAsync(from);

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Errors.ShouldStartWith("from must be main or a release tag vX.Y.Z, not ");
        result.Errors.TrimEnd('\n').ShouldNotContain('\n', "one line: the input cannot start a workflow command (::…) of its own");
        output.ShouldBeEmpty();
    }

    /// <summary>Runs the validation step's script as GitHub would, with FROM set and GITHUB_OUTPUT a file; returns what it wrote there.</summary>
    private static async Task<(ProcessResult Result, string Output)> ValidateAsync(string from)
    {
        using var sandbox = new ScriptSandbox();
        var output = Path.Combine(sandbox.Folder, "github-output");
        await File.WriteAllTextAsync(output, "");

        var result = await sandbox.RunAsync(Rollback.Steps[0].Run!, new Dictionary<string, string> { ["FROM"] = from, ["GITHUB_OUTPUT"] = output });

        File.Exists(Path.Combine(sandbox.Folder, "pwned")).ShouldBeFalse("the input must never run as shell");
        return (result, await File.ReadAllTextAsync(output));
    }
}
