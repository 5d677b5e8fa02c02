using Storagectl.Checks;
using Storagectl.Cli;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Checks;

/// <summary>
/// When the checklist is the one after a deploy (every tenant@host read runs the artifact's bytes), and the history
/// line it leaves: the running release, its sha256, and the failed gates.
/// </summary>
public sealed class AfterDeployTests
{
    private static readonly Artifact A = new("storage-api", "1.4.0", "abc", DateTimeOffset.UnixEpoch, "a.tar.gz", new string('a', 64));

    private static HostState Runs(Artifact manifest) =>
        Running(manifest.Version, Slot.Blue) with { Manifests = new Dictionary<string, Artifact> { [manifest.Version] = manifest } };

    [Fact]
    public void After_the_deploy_only_when_every_tenant_and_host_runs_the_same_bytes()
    {
        var rebuilt = A with { Sha256 = new string('b', 64) }; // the same version built again: other bytes

        DeployChecklist.RunsArtifact(A, [Runs(A), Runs(A with { Sha256 = A.Sha256.ToUpperInvariant() })]).ShouldBeTrue();
        DeployChecklist.RunsArtifact(A, [Runs(A), Runs(rebuilt)]).ShouldBeFalse(); // partly deployed: still before
        DeployChecklist.RunsArtifact(A, [Runs(A), Running("1.4.0", Slot.Blue)]).ShouldBeFalse(); // no kept manifest: cannot tell
        DeployChecklist.RunsArtifact(A, []).ShouldBeFalse();
        DeployChecklist.RunsArtifact(null, [Runs(A)]).ShouldBeFalse();
    }

    [Fact]
    public void The_checklist_line_names_the_running_release_its_sha256_and_the_failed_gates()
    {
        var passed = RoutineRecord.Of(DeployPlan.Checklist, "staging", "stage", "st-1", Runs(A), "ci", Now, []).ShouldNotBeNull();
        var failed = RoutineRecord.Of(DeployPlan.Checklist, "staging", "stage", "st-1", Runs(A), "ci", Now, ["stage@st-1 error rate: the last deploy (1.4.0) was rolled-back", "x"]).ShouldNotBeNull();

        passed.Kind.ShouldBe("checklist");
        passed.Outcome.ShouldBe(DeployRecord.Succeeded);
        passed.Version.ShouldBe("1.4.0");
        passed.Commit.ShouldBe("abc");
        passed.Sha256.ShouldBe(A.Sha256);
        passed.Error.ShouldBeNull();
        failed.Outcome.ShouldBe(DeployRecord.Failed);
        failed.Error.ShouldBe("stage@st-1 error rate: the last deploy (1.4.0) was rolled-back; x");
        RoutineRecord.Of(DeployPlan.Checklist, "staging", "stage", "st-1", HostState.Empty, "ci", Now, []).ShouldBeNull();
    }
}
