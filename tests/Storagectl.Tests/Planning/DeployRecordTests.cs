using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Planning;

/// <summary>deploys.jsonl lines: the sha256 and the --skip-staging reason round-trip, and lines written before them still parse.</summary>
public sealed class DeployRecordTests
{
    [Fact]
    public void Sha256_and_the_skip_staging_reason_round_trip()
    {
        var record = new DeployRecord(Now, Now.AddSeconds(42), "production", "acme", "web-1", "1.4.0", "abc", "1.3.0", "ana", DeployRecord.Succeeded, null)
            { Sha256 = new string('a', 64), SkipStaging = "hotfix; staging is down" };

        var json = record.ToJson();

        json.ShouldContain($"\"sha256\":\"{new string('a', 64)}\"");
        json.ShouldContain("\"skipStaging\":\"hotfix; staging is down\"");
        DeployRecord.FromJson(json).ShouldBe(record);
    }

    [Fact]
    public void A_line_written_before_sha256_was_kept_parses_with_none()
    {
        const string old = """{"startedAt":"2026-05-04T10:00:00+00:00","finishedAt":"2026-05-04T10:00:42+00:00","environment":"production","tenant":"acme","host":"prod-1","version":"1.4.0","commit":"3f2a1bc","previousVersion":"1.3.0","who":"ana@laptop","outcome":"succeeded","error":null,"kind":"deploy"}""";

        var record = DeployRecord.FromJson(old).ShouldNotBeNull();

        record.Version.ShouldBe("1.4.0");
        record.Sha256.ShouldBeNull();
        record.SkipStaging.ShouldBeNull();
    }

    [Fact]
    public void A_deploy_records_the_artifacts_sha256_and_a_rollback_the_kept_manifests()
    {
        var kept = new Artifact("storage-api", "1.0.0", "old", DateTimeOffset.UnixEpoch, "x.tar.gz", new string('c', 64));
        var state = Running("1.1.0", Slot.Green, "1.1.0", "1.0.0") with { Manifests = new Dictionary<string, Artifact> { ["1.0.0"] = kept } };
        var context = new PlanContext(Config, Config.Environment("production"), new Dictionary<(string, string), HostState> { [("acme", "web-1")] = state }, "ana", Now, "t", "acme");
        var artifact = kept with { Version = "1.2.0", Sha256 = new string('d', 64) };

        DeployPlanner.Plan(new DeployRequest(context, artifact, new Storagectl.Configuration.SecretSource(new Dictionary<string, string>(), new Dictionary<string, string>())))
            .Targets.Single().Sha256.ShouldBe(new string('d', 64));
        RollbackPlanner.Plan(context, "1.0.0").Targets.Single().Sha256.ShouldBe(new string('c', 64));
    }
}
