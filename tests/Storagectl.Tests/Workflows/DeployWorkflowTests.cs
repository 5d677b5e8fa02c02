using System.Text.RegularExpressions;
using Storagectl.Configuration;
using Storagectl.Releases;

namespace Storagectl.Tests.Workflows;

/// <summary>
/// .github/workflows/deploy.yml: dev goes to staging, tags go through staging to production and a GitHub release, a
/// manual run rolls back; always after the tests, one deploy per environment at a time, with exactly the secrets it
/// needs. The promotion itself (one build, the same bytes everywhere): <see cref="PromotionChainTests"/>; the rollback:
/// <see cref="RollbackWorkflowTests"/>.
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
        inputs.Keys().ShouldBe(["environment", "from", "tenant", "to_version"]);
        inputs.Map("environment").Scalar("type").ShouldBe("choice");
        inputs.Map("environment").Strings("options").ShouldBe(["staging", "production"]);
        inputs.Map("environment").Scalar("required").ShouldBe("true");
        inputs.Map("from").Scalar("default").ShouldBe("main");
        inputs.Map("tenant").Scalar("required").ShouldBe("false");
        inputs.Map("to_version").Scalar("required").ShouldBe("false");
    }

    [Fact]
    public void The_test_job_is_ci_yml_on_every_push()
    {
        var test = Deploy.Jobs["test"];

        test.If.ShouldBe("github.event_name == 'push'");
        test.Uses.ShouldBe("./.github/workflows/ci.yml");
        Workflow.Load("ci.yml").Triggers.Keys().ShouldContain("workflow_call");
    }

    [Fact]
    public void A_push_to_dev_runs_the_suite_once_across_both_workflows()
    {
        // ci.yml on its own, deploy.yml's own steps, and every time deploy.yml calls ci.yml: one run of ./test.sh in all.
        var ci = Workflow.Load("ci.yml");
        static bool OnDev(Workflow w) => w.Triggers.MapOrNull("push")?.Strings("branches").Contains("dev") == true;
        static int TestRuns(Workflow w) => w.Steps.Count(s => s.Run?.Contains("./test.sh") == true);
        ci.Jobs.Values.Where(j => j.Steps.Any(s => s.Run?.Contains("./test.sh") == true))
            .ShouldAllBe(j => j.If == null, "ci.yml's test job runs whenever ci.yml does");

        var runs = (OnDev(ci) ? TestRuns(ci) : 0)
                   + (OnDev(Deploy) ? TestRuns(Deploy) + Deploy.Jobs.Values.Count(j => j.Uses == "./.github/workflows/ci.yml") * TestRuns(ci) : 0);

        runs.ShouldBe(1);
    }

    [Fact]
    public void Every_job_that_ships_a_build_waits_for_the_tests()
    {
        Deploy.Jobs.Keys.ShouldBe(["test", "build", "draft-release", "staging", "production", "publish-release", "rollback"], ignoreOrder: true);
        foreach (var job in Deploy.Jobs.Values.Where(j => j.Name is not ("test" or "rollback")))
            job.NeedsTransitively(Deploy).ShouldContain("test", $"{job.Name} should need the test job, directly or through build");
    }

    [Theory]
    [InlineData("staging", "github.ref == 'refs/heads/dev' || github.ref_type == 'tag'")]
    [InlineData("production", "github.ref_type == 'tag'")]
    public void Staging_takes_dev_and_release_candidates_and_production_takes_tags(string environment, string condition)
    {
        var job = Deploy.Jobs[environment];

        job.If.ShouldBe(condition);
        job.Environment.ShouldBe(environment);
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

        var deploy = Deploy.Jobs[environment].Steps.Single(s => StoragectlCalls.In(s.Run ?? "").Any(c => c.Words[0] == "deploy"));

        // storagectl reads each secret from the variable the deploy file names, so variable and secret share the name.
        var secrets = deploy.Env.Where(e => e.Value.Contains("secrets.")).ToDictionary();
        secrets.Keys.ShouldBe(expected, ignoreOrder: true);
        foreach (var (variable, value) in secrets) value.ShouldBe($"${{{{ secrets.{variable} }}}}");
        Deploy.Jobs[environment].Steps.Where(s => s != deploy).SelectMany(s => s.Env.Values)
            .Where(v => v.Contains("secrets.") && !CiSecrets.Any(c => v.Contains(c))).ShouldBeEmpty("tenant secrets go to the deploy step only");
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
    public void The_release_jobs_alone_may_write_to_the_repository()
    {
        string[] releasing = ["draft-release", "publish-release"];
        Deploy.Root.Pairs("permissions").ShouldBe(new Dictionary<string, string> { ["contents"] = "read" });
        foreach (var job in Deploy.Jobs.Values.Where(j => !releasing.Contains(j.Name))) job.Permissions.ShouldBeNull(job.Name);

        foreach (var name in releasing)
        {
            var release = Deploy.Jobs[name];
            release.Node.Pairs("permissions").ShouldBe(new Dictionary<string, string> { ["contents"] = "write" }, name);
            release.If.ShouldBe("github.ref_type == 'tag'", name);
            var gh = release.Steps.Single(s => s.Run?.StartsWith("gh release") == true);
            gh.Env.ShouldBe(new Dictionary<string, string> { ["GH_TOKEN"] = "${{ secrets.GITHUB_TOKEN }}" }, name);
        }
        Deploy.Jobs["draft-release"].Steps.Single(s => s.Run?.StartsWith("gh release create") == true).Run!.ShouldContain("--notes-file release-notes.md");
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
        Deploy.Jobs["draft-release"].Steps.Single(s => s.Name == "Release notes from CHANGELOG.md").Run!;

    [GeneratedRegex(@"secrets\.(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex SecretReference();
}
