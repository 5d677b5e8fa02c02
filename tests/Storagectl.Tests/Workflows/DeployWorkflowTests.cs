using System.Text.RegularExpressions;
using Storagectl.Configuration;
using Storagectl.Releases;

namespace Storagectl.Tests.Workflows;

/// <summary>
/// .github/workflows/deploy.yml: dev goes to staging, tags go to a GitHub release and then production, a manual run
/// rolls back; always after the tests, one deploy per environment at a time, with exactly the secrets it needs.
/// </summary>
public sealed partial class DeployWorkflowTests
{
    private static readonly Workflow Deploy = Workflow.Load("deploy.yml");
    private static readonly DeployConfig Config = DeployConfigLoader.Load(RepositoryFiles.PathOf("deploy", "storagectl.yml"));

    /// <summary>Secrets that are not a tenant's: the deploy key, the hosts' keys, and GitHub's own token.</summary>
    private static readonly string[] CiSecrets = ["DEPLOY_SSH_KEY", "DEPLOY_KNOWN_HOSTS", "GITHUB_TOKEN"];

    [Fact]
    public void Runs_on_pushes_to_dev_on_release_tags_and_by_hand()
    {
        Deploy.Triggers.Keys().ShouldBe(["push", "workflow_dispatch"], ignoreOrder: true);
        Deploy.Triggers.Map("push").Strings("branches").ShouldBe(["dev"]);
        Deploy.Triggers.Map("push").Strings("tags").ShouldBe(["v*"]);
        var inputs = Deploy.Triggers.Map("workflow_dispatch").Map("inputs");
        inputs.Keys().ShouldBe(["environment", "tenant", "to_version"]);
        inputs.Map("environment").Scalar("type").ShouldBe("choice");
        inputs.Map("environment").Strings("options").ShouldBe(["staging", "production"]);
        inputs.Map("environment").Scalar("required").ShouldBe("true");
        inputs.Map("tenant").Scalar("required").ShouldBe("false");
        inputs.Map("to_version").Scalar("required").ShouldBe("false");
    }

    [Fact]
    public void The_test_job_runs_readmes_test_command_on_every_push()
    {
        var test = Deploy.Jobs["test"];

        test.If.ShouldBe("github.event_name == 'push'");
        test.Steps.Where(s => s.Run?.StartsWith("./test.sh") == true).ShouldHaveSingleItem().Run!.Trim().ShouldBe(RepositoryFiles.ReadmeTestCommand());
    }

    [Fact]
    public void Every_job_that_ships_a_build_waits_for_the_tests()
    {
        Deploy.Jobs.Keys.ShouldBe(["test", "build", "staging", "github-release", "production", "rollback"], ignoreOrder: true);
        foreach (var job in Deploy.Jobs.Values.Where(j => j.Name is not ("test" or "rollback")))
            job.NeedsTransitively(Deploy).ShouldContain("test", $"{job.Name} should need the test job, directly or through build");
        Deploy.Jobs["production"].Needs.ShouldBe(["build", "github-release"], ignoreOrder: true);
    }

    [Fact]
    public void A_rollback_runs_by_hand_only_and_waits_for_nothing()
    {
        // It ships nothing new: hosts switch back to a release they keep, which passed tests and health gates when it
        // was deployed. Waiting for a test run would only delay getting out of trouble.
        var rollback = Deploy.Jobs["rollback"];

        rollback.If.ShouldBe("github.event_name == 'workflow_dispatch'");
        rollback.Needs.ShouldBeEmpty();
        rollback.Environment.ShouldBe("${{ inputs.environment }}");
        rollback.Steps.ShouldNotContain(s => s.Uses != null && s.Uses.StartsWith("actions/download-artifact"));
        var call = rollback.Steps.SelectMany(s => StoragectlCalls.In(s.Run ?? "")).First(c => c.Words[0] == "rollback");
        call.Words.ShouldBe(["rollback", "$TARGET", "--tenant", "$TENANT", "--to", "$TO_VERSION", "--plain"]);
        var env = rollback.Steps.Single(s => s.Run?.Contains("-- rollback") == true).Env;
        env["TARGET"].ShouldBe("${{ inputs.environment }}");
        env["TENANT"].ShouldBe("${{ inputs.tenant }}");
        env["TO_VERSION"].ShouldBe("${{ inputs.to_version }}");
    }

    [Theory]
    [InlineData("staging", "github.ref == 'refs/heads/dev'")]
    [InlineData("production", "github.ref_type == 'tag'")]
    public void Each_environment_gets_the_one_artifact_the_build_job_made(string environment, string condition)
    {
        var job = Deploy.Jobs[environment];
        var upload = Deploy.Jobs["build"].Steps.Single(s => s.Uses == "actions/upload-artifact@v4");

        job.If.ShouldBe(condition);
        job.Environment.ShouldBe(environment);
        job.Needs.ShouldContain("build");
        var download = job.Steps.Single(s => s.Uses == "actions/download-artifact@v4");
        download.With["name"].ShouldBe(upload.With["name"]);
        download.With["path"].ShouldBe("artifacts");
        var deploy = job.Steps.Single(s => s.Run?.Contains($"-- deploy {environment}") == true);
        deploy.Env["ARTIFACT"].ShouldBe("artifacts/${{ needs.build.outputs.file }}");
        // Production is gated by the checklist first (migrations rehearsed on copies of the tenants' databases).
        string[] gates = environment == "production" ? [$"checklist {environment} --artifact $ARTIFACT --skip-tests --plain"] : [];
        job.Steps.SelectMany(s => StoragectlCalls.In(s.Run ?? "")).Select(c => string.Join(' ', c.Words)).ShouldBe(
        [
            .. gates,
            $"deploy {environment} --artifact $ARTIFACT --plain",
            $"status {environment} --plain",
        ]);
    }

    [Fact]
    public void A_tag_builds_its_own_version()
    {
        var build = Deploy.Jobs["build"].Steps.Single(s => s.Name == "Build the artifact once");

        build.Run.ShouldNotBeNull().ShouldContain("""version="${GITHUB_REF_NAME#v}";""");
        StoragectlCalls.In(build.Run!).ShouldHaveSingleItem().Words.ShouldBe(["build", "--version", "$version", "--plain"]);
        Deploy.Jobs["build"].Node.Map("outputs").Scalar("file").ShouldBe("${{ steps.build.outputs.file }}");
    }

    [Fact]
    public void One_deploy_at_a_time_per_environment_and_none_cancelled_half_way()
    {
        var deploying = Deploy.Jobs.Values.Where(j => j.Environment is not null).ToList();

        deploying.Select(j => j.Name).ShouldBe(["staging", "production", "rollback"], ignoreOrder: true);
        foreach (var job in deploying)
        {
            job.Concurrency.ShouldNotBeNull(job.Name).Scalar("group").ShouldBe($"deploy-{job.Environment}", job.Name);
            job.Concurrency.Scalar("cancel-in-progress").ShouldBe("false", job.Name);
        }
        Deploy.Root.MapOrNull("concurrency").ShouldBeNull("a workflow-wide group would queue a staging deploy behind production");
    }

    [Fact]
    public void Every_secret_is_ssh_the_github_token_or_a_tenant_secret_of_the_deploy_file()
    {
        var tenantSecrets = Config.Environments.Values.SelectMany(e => e.Tenants.Values).SelectMany(t => t.Secrets.Values).ToHashSet();

        var used = SecretReference().Matches(Deploy.Text).Select(m => m.Groups["name"].Value).Distinct().ToList();

        used.ShouldNotBeEmpty();
        used.Where(name => !CiSecrets.Contains(name) && !tenantSecrets.Contains(name)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("production")]
    public void A_deploy_gets_every_tenant_secret_of_its_environment_and_no_other(string environment)
    {
        var expected = Config.Environment(environment).Tenants.Values.SelectMany(t => t.Secrets.Values).ToList();
        expected.ShouldNotBeEmpty();

        var deploy = Deploy.Jobs[environment].Steps.Single(s => s.Run?.Contains($"-- deploy {environment}") == true);

        // storagectl reads each secret from the variable the deploy file names, so variable and secret share the name.
        var secrets = deploy.Env.Where(e => e.Value.Contains("secrets.")).ToDictionary();
        secrets.Keys.ShouldBe(expected, ignoreOrder: true);
        foreach (var (variable, value) in secrets) value.ShouldBe($"${{{{ secrets.{variable} }}}}");
        Deploy.Jobs[environment].Steps.Where(s => s != deploy).SelectMany(s => s.Env.Values)
            .Where(v => v.Contains("secrets.") && !CiSecrets.Any(c => v.Contains(c))).ShouldBeEmpty("tenant secrets go to the deploy step only");
    }

    [Fact]
    public void A_rollback_gets_the_ssh_secrets_only()
    {
        // A rollback writes no .env: it switches to a release whose .env is already on the host.
        Deploy.Jobs["rollback"].Steps.SelectMany(s => SecretReference().Matches(string.Join('\n', s.Env.Values)))
            .Select(m => m.Groups["name"].Value).ShouldBe(["DEPLOY_SSH_KEY", "DEPLOY_KNOWN_HOSTS"], ignoreOrder: true);
    }

    [Fact]
    public void Ssh_is_set_up_from_secrets_before_storagectl_reaches_a_host()
    {
        foreach (var job in Deploy.Jobs.Values.Where(j => j.Environment is not null))
        {
            var steps = job.Steps.ToList();
            var ssh = steps.FindIndex(s => s.Run == "bash .ci/deploy-ssh");
            ssh.ShouldBeGreaterThanOrEqualTo(0, job.Name);
            steps[ssh].Env.ShouldBe(new Dictionary<string, string>
            {
                ["DEPLOY_SSH_KEY"] = "${{ secrets.DEPLOY_SSH_KEY }}",
                ["DEPLOY_KNOWN_HOSTS"] = "${{ secrets.DEPLOY_KNOWN_HOSTS }}",
            });
            steps.FindIndex(s => StoragectlCalls.In(s.Run ?? "").Count > 0).ShouldBeGreaterThan(ssh, job.Name);
        }
    }

    [Fact]
    public void The_github_release_alone_may_write_to_the_repository()
    {
        Deploy.Root.Pairs("permissions").ShouldBe(new Dictionary<string, string> { ["contents"] = "read" });
        foreach (var job in Deploy.Jobs.Values.Where(j => j.Name != "github-release")) job.Permissions.ShouldBeNull(job.Name);

        var release = Deploy.Jobs["github-release"];
        release.Permissions.ShouldNotBeNull();
        release.Permissions.Scalar("contents").ShouldBe("write");
        release.If.ShouldBe("github.ref_type == 'tag'");
        var create = release.Steps.Single(s => s.Run?.StartsWith("gh release create") == true);
        create.Env["GH_TOKEN"].ShouldBe("${{ secrets.GITHUB_TOKEN }}");
        create.Run!.ShouldContain("--notes-file release-notes.md");
    }

    [Fact]
    public async Task The_release_notes_are_the_changelog_section_of_the_tag()
    {
        using var sandbox = new ScriptSandbox();
        var links = CommitLinks.None;
        var changelog = Changelog.Insert(null, Changelog.Section(new SemanticVersion(1, 0, 0), new DateOnly(2026, 1, 5),
            [ConventionalCommit.Parse("a".PadRight(40, '1'), "feat: uploads")], links));
        changelog = Changelog.Insert(changelog, Changelog.Section(new SemanticVersion(1, 1, 0), new DateOnly(2026, 2, 9),
            [ConventionalCommit.Parse("b".PadRight(40, '2'), "feat: search"), ConventionalCommit.Parse("c".PadRight(40, '3'), "fix(api): 404 for other tenants")], links));
        await File.WriteAllTextAsync(Path.Combine(sandbox.Folder, "CHANGELOG.md"), changelog);

        var result = await sandbox.RunAsync(ReleaseNotesScript(), new Dictionary<string, string> { ["GITHUB_REF_NAME"] = "v1.1.0" });

        result.ExitCode.ShouldBe(0, result.ToString());
        (await File.ReadAllTextAsync(Path.Combine(sandbox.Folder, "release-notes.md"))).Trim().ShouldBe("""
            ### Features

            - search (b222222)

            ### Fixes

            - **api:** 404 for other tenants (c333333)
            """);
    }

    [Fact]
    public async Task A_tag_without_a_changelog_section_makes_no_release()
    {
        using var sandbox = new ScriptSandbox();
        await File.WriteAllTextAsync(Path.Combine(sandbox.Folder, "CHANGELOG.md"), "# Changelog\n\n## [1.0.0] - 2026-01-05\n\n### Features\n\n- uploads\n");

        var result = await sandbox.RunAsync(ReleaseNotesScript(), new Dictionary<string, string> { ["GITHUB_REF_NAME"] = "v1.0.1" });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.ShouldContain("CHANGELOG.md has no section for 1.0.1");
    }

    private static string ReleaseNotesScript() =>
        Deploy.Jobs["github-release"].Steps.Single(s => s.Name == "Release notes from CHANGELOG.md").Run!;

    [GeneratedRegex(@"secrets\.(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex SecretReference();
}
