using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Planning;

/// <summary>
/// The promotion rule as a pure function of staging's hosts: production takes an artifact only when the newest
/// `checklist` line for its sha256 succeeded on every tenant@host of staging; otherwise the one line names what is
/// missing where, and what to run.
/// </summary>
public sealed class PromotionTests
{
    private static readonly string Sha = new('a', 64);
    private static readonly Artifact Candidate = new("storage-api", "1.4.0", "abc1234", DateTimeOffset.UnixEpoch, "/tmp/storage-api-1.4.0.tar.gz", Sha);

    private static DeployRecord Line(string kind, string outcome, string? sha256, string? error = null) =>
        new DeployRecord(Now, Now.AddSeconds(30), "staging", "stage", "st-1", "1.4.0", "abc1234", "1.4.0", "ci", outcome, error, kind) { Sha256 = sha256 };

    private static HostState With(params DeployRecord[] history) => HostState.Empty with { History = history };

    private static PromotionVerdict Judge(params ((string, string) Target, HostState? State, string? Error)[] source) =>
        Promotion.Judge("production", "staging", Candidate, "artifacts/a 1.tar.gz", source.ToDictionary(s => s.Target, s => (s.State, s.Error)));

    [Fact]
    public void A_succeeded_checklist_of_the_same_bytes_on_every_staging_host_passes_even_when_staging_runs_a_newer_build_by_now()
    {
        var passed = With(Line(DeployPlan.Deploy, DeployRecord.Succeeded, Sha), Line(DeployPlan.Checklist, DeployRecord.Succeeded, Sha),
            Line(DeployPlan.Deploy, DeployRecord.Succeeded, new string('b', 64)));

        var verdict = Judge((("stage", "st-1"), passed, null), (("stage", "st-2"), With(Line(DeployPlan.Checklist, DeployRecord.Succeeded, Sha.ToUpperInvariant())), null));

        verdict.Passed.ShouldBeTrue();
        verdict.Line.ShouldBe("promotion: staging's checklist passed 1.4.0 (sha256 aaaaaaaaaaaa…) on stage@st-1 (checklist 2026-11-25 10:00 UTC by ci), stage@st-2 (checklist 2026-11-25 10:00 UTC by ci)");
    }

    [Fact]
    public void Never_ran_names_the_deploy_and_the_checklist_to_run()
    {
        var verdict = Judge((("stage", "st-1"), With(Line(DeployPlan.Deploy, DeployRecord.Succeeded, new string('b', 64))), null));

        verdict.Passed.ShouldBeFalse();
        verdict.Line.ShouldBe("production takes only what staging's checklist passed, and it has not passed 1.4.0 (sha256 aaaaaaaaaaaa…): stage@st-1 never ran it; " +
            "deploy it to staging and pass its checklist: storagectl deploy staging --artifact 'artifacts/a 1.tar.gz' && storagectl checklist staging --artifact 'artifacts/a 1.tar.gz', " +
            "or deploy with --skip-staging \"<reason>\"");
    }

    [Fact]
    public void Deployed_but_not_checked_and_a_failed_checklist_are_told_apart_and_the_checklist_is_what_to_run()
    {
        var deployedOnly = With(Line(DeployPlan.Deploy, DeployRecord.Succeeded, Sha), Line(DeployPlan.Probe, DeployRecord.Succeeded, Sha));
        var failed = With(Line(DeployPlan.Checklist, DeployRecord.Succeeded, Sha), Line(DeployPlan.Checklist, DeployRecord.Failed, Sha, "st-2 error rate: the last deploy (1.4.0) was rolled-back"));

        var verdict = Judge((("stage", "st-1"), deployedOnly, null), (("stage", "st-2"), failed, null));

        verdict.Passed.ShouldBeFalse();
        verdict.Finding.ShouldBe("production takes only what staging's checklist passed, and it has not passed 1.4.0 (sha256 aaaaaaaaaaaa…): " +
            "stage@st-1 ran it, but its checklist never passed; stage@st-2 ran it, but its checklist failed 2026-11-25 10:00 UTC: st-2 error rate: the last deploy (1.4.0) was rolled-back");
        verdict.Next.ShouldBe("run storagectl checklist staging --artifact 'artifacts/a 1.tar.gz', or deploy with --skip-staging \"<reason>\"");
    }

    [Fact]
    public void What_runs_now_counts_as_ran_even_when_the_deploy_line_is_older_than_the_history_read()
    {
        var running = Running("1.4.0", Slot.Blue) with { Manifests = new Dictionary<string, Artifact> { ["1.4.0"] = Candidate } };

        Judge((("stage", "st-1"), running, null)).Finding.ShouldEndWith("stage@st-1 ran it, but its checklist never passed");
    }

    [Fact]
    public void An_unreadable_staging_host_refuses_and_says_to_run_again()
    {
        var verdict = Judge((("stage", "st-1"), null, "st-1: cannot read /srv/storage/stage: ssh: Connection refused"));

        verdict.Passed.ShouldBeFalse();
        verdict.Line.ShouldEndWith("stage@st-1 could not be read (st-1: cannot read /srv/storage/stage: ssh: Connection refused); run again once staging's hosts answer, or deploy with --skip-staging \"<reason>\"");
    }

    [Fact]
    public void A_build_of_the_checkout_never_passed_staging()
    {
        var verdict = Promotion.Judge("production", "staging", null, null, new Dictionary<(string, string), (HostState?, string?)>());

        verdict.Passed.ShouldBeFalse();
        verdict.Line.ShouldBe("production takes only what staging's checklist passed, and a build of the checkout never ran there; " +
            "give --artifact with the file staging's checklist passed, or deploy with --skip-staging \"<reason>\"");
    }
}
