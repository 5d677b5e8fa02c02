using Storagectl.Configuration;
using Storagectl.Onboarding;
using Storagectl.Planning;

namespace Storagectl.Tests.Onboarding;

/// <summary>The release a new tenant gets is the one its environment runs, from a file whose sha256 matches that release's.</summary>
public sealed class RunningReleaseTests
{
    private static readonly EnvironmentConfig Production = Planning.PlanningFixture.Config.Environment("production");
    private static readonly Artifact V1 = new("storage-api", "1.0.0", "abc", DateTimeOffset.UnixEpoch, "storage-api-1.0.0.tar.gz", new string('1', 64));
    private static readonly Artifact V2 = V1 with { Version = "2.0.0", Sha256 = new string('2', 64) };

    private static HostState Runs(Artifact release) =>
        HostState.Empty with { CurrentVersion = release.Version, Releases = [release.Version], Manifests = new Dictionary<string, Artifact> { [release.Version] = release } };

    [Fact]
    public void One_release_everywhere_is_the_one()
    {
        var states = new Dictionary<(string, string), HostState> { [("acme", "web-1")] = Runs(V1), [("globex", "web-1")] = Runs(V1), [("hooli", "web-1")] = HostState.Empty };
        RunningRelease.Of(Production, states, "hooli", null).ShouldBe(V1);
    }

    [Fact]
    public void Mid_rollout_the_artifact_chooses_and_an_environment_running_nothing_is_refused()
    {
        var states = new Dictionary<(string, string), HostState> { [("acme", "web-1")] = Runs(V2), [("globex", "web-1")] = Runs(V1) };
        Should.Throw<ArtifactException>(() => RunningRelease.Of(Production, states, "hooli", null))
            .Message.ShouldBe("production runs more than one release (2.0.0 on acme@web-1, 1.0.0 on globex@web-1); choose one with --artifact");
        RunningRelease.Of(Production, states, "hooli", "1.0.0").ShouldBe(V1);
        Should.Throw<ArtifactException>(() => RunningRelease.Of(Production, states, "hooli", "3.0.0")).Message.ShouldStartWith("production does not run 3.0.0");
        Should.Throw<ConfigException>(() => RunningRelease.Of(Production, new Dictionary<(string, string), HostState>(), "hooli", null))
            .Message.ShouldBe("production runs no release yet: deploy one first (`storagectl deploy production`)");
    }

    [Fact]
    public void A_missing_artifact_names_the_version_and_sha256_wanted()
    {
        var folder = Directory.CreateTempSubdirectory("running-release-");
        try
        {
            var missing = Path.Combine(folder.FullName, "nope.tar.gz");
            Should.Throw<ArtifactException>(() => RunningRelease.Artifact(V1, missing))
                .Message.ShouldBe($"{missing}: no such artifact; the environment runs storage-api 1.0.0 with sha256 {V1.Sha256}: give that file with --artifact (it is never rebuilt)");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
