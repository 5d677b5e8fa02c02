namespace Storagectl.Tests.Workflows;

/// <summary>
/// deploy.yml builds once and promotes: production ships the very file staging ran and checked, made by the one build
/// job, with the storagectl published there; the GitHub release is a draft until production runs the release.
/// </summary>
public sealed class PromotionChainTests
{
    private static readonly Workflow Deploy = Workflow.Load("deploy.yml");
    private const string Artifact = "artifacts/${{ needs.build.outputs.file }}";

    private static Job Build => Deploy.Jobs.Values.Single(j => Calls(j).Any(c => c.Words[0] == "build"));

    [Fact]
    public void One_job_builds_the_artifact_and_publishes_storagectl()
    {
        Build.Name.ShouldBe("build");
        Calls(Build).Count(c => c.Words[0] == "build").ShouldBe(1);
        Build.Steps.Count(s => s.Run?.Contains("dotnet publish src/Storagectl -c Release") == true).ShouldBe(1);
        Uploads(Build).Keys.ShouldBe(["storage-api", "storagectl"], ignoreOrder: true);
        Uploads(Build)["storage-api"].ShouldContain("artifacts/*.tar.gz");
        Uploads(Build)["storagectl"].ShouldBe("${{ runner.temp }}/storagectl", "where dotnet publish -o put it");
    }

    [Fact]
    public void No_job_after_the_build_builds_or_compiles_anything()
    {
        var after = Deploy.Jobs.Values.Where(j => j.NeedsTransitively(Deploy).Contains(Build.Name)).ToList();

        after.Select(j => j.Name).ShouldBe(["draft-release", "staging", "production", "publish-release"], ignoreOrder: true);
        foreach (var step in after.SelectMany(j => j.Steps))
        {
            StoragectlCalls.In(step.Run ?? "").ShouldNotContain(c => c.Words[0] == "build", step.ToString());
            foreach (var compiling in new[] { "dotnet publish", "dotnet build", "dotnet run", "dotnet test" })
                (step.Run ?? "").ShouldNotContain(compiling, Case.Sensitive, step.ToString());
        }
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("production")]
    public void Each_environment_ships_the_build_jobs_artifact_with_the_build_jobs_storagectl(string environment)
    {
        var job = Deploy.Jobs[environment];
        var uploads = Uploads(Build);

        job.Needs.ShouldContain(Build.Name);
        var downloads = job.Steps.Where(s => s.UsesAction("actions/download-artifact")).ToDictionary(s => s.With["name"], s => s.With["path"]);
        downloads.ShouldBe(new Dictionary<string, string> { ["storage-api"] = "artifacts", ["storagectl"] = "${{ runner.temp }}/storagectl" });
        uploads.Keys.ShouldBe(downloads.Keys, ignoreOrder: true);

        // Every storagectl call that names an artifact names the build job's file, and storagectl is the downloaded one.
        foreach (var step in job.Steps.Where(s => StoragectlCalls.In(s.Run ?? "").Any(c => c.Words.Contains("--artifact"))))
            step.Env["ARTIFACT"].ShouldBe(Artifact, step.ToString());
        var path = job.Steps.Single(s => s.Run?.Contains("GITHUB_PATH") == true);
        path.Run.ShouldNotBeNull().ShouldContain("""echo "$RUNNER_TEMP/storagectl" >> "$GITHUB_PATH" """.TrimEnd());
        path.Run.ShouldContain("chmod +x", Case.Sensitive, "workflow artifacts lose the apphost's execute bit");
        job.Steps.ToList().IndexOf(path).ShouldBeLessThan(job.Steps.ToList().FindIndex(s => StoragectlCalls.In(s.Run ?? "").Count > 0));
    }

    [Fact]
    public void Staging_deploys_then_checks_the_candidate_in_one_job()
    {
        // One job (and its deploy-staging group): no dev deploy can come between the deploy and the checklist.
        CallLines(Deploy.Jobs["staging"]).ShouldBe(
        [
            "deploy staging --artifact $ARTIFACT --plain",
            "checklist staging --artifact $ARTIFACT --skip-tests --plain",
            "status staging --plain",
        ]);
    }

    [Fact]
    public void Production_waits_for_staging_checks_then_deploys_the_same_file()
    {
        var production = Deploy.Jobs["production"];

        production.Needs.ShouldContain("staging");
        production.Environment.ShouldBe("production", "required reviewers approve here");
        CallLines(production).ShouldBe(
        [
            "checklist production --artifact $ARTIFACT --skip-tests --plain",
            "deploy production --artifact $ARTIFACT --plain",
            "status production --plain",
        ]);
    }

    [Fact]
    public void The_release_is_a_draft_until_production_runs_it()
    {
        var draft = Deploy.Jobs["draft-release"];
        var publish = Deploy.Jobs["publish-release"];

        draft.Needs.ShouldBe([Build.Name]);
        draft.Steps.Single(s => s.Run?.StartsWith("gh release create") == true).Run.ShouldNotBeNull().ShouldContain(" --draft ");
        draft.Steps.Single(s => s.UsesAction("actions/download-artifact")).With["name"].ShouldBe("storage-api", "the release attaches the built file");
        Deploy.Jobs["production"].NeedsTransitively(Deploy).ShouldContain(draft.Name, "the draft exists before production is approved");

        publish.Needs.ShouldBe(["production"]);
        publish.Steps.Single(s => s.Run?.StartsWith("gh release") == true).Run.ShouldBe("""gh release edit "$GITHUB_REF_NAME" --draft=false --repo "$GITHUB_REPOSITORY" """.TrimEnd());
        Deploy.Steps.Where(s => s.Run?.Contains("gh release") == true).Select(s => s.Job).ShouldBe([draft.Name, publish.Name], ignoreOrder: true);
    }

    private static IReadOnlyList<StoragectlCall> Calls(Job job) => [.. job.Steps.SelectMany(s => StoragectlCalls.In(s.Run ?? ""))];

    private static IReadOnlyList<string> CallLines(Job job) => [.. Calls(job).Select(c => string.Join(' ', c.Words))];

    private static Dictionary<string, string> Uploads(Job job) =>
        job.Steps.Where(s => s.UsesAction("actions/upload-artifact")).ToDictionary(s => s.With["name"], s => s.With["path"]);
}
