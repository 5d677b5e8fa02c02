using System.Diagnostics;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;
using Storagectl.Planning;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>
/// The release chain on real hosts, as deploy.yml plays it: one artifact (2.0.0), deployed to staging, checked there
/// (the checklist after the deploy records its outcome), then the same file to production's two rings, where every
/// host keeps the same sha256. Production refuses bytes staging never passed (1.0.0), unless told why
/// (--skip-staging), which history keeps.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class PromotionTests(Artifacts artifacts, ITestOutputHelper output)
{
    private const string Stage = TestFleet.StagingTenant;

    private static JsonElement LastRecord(TestFleet fleet, string tenant) =>
        JsonDocument.Parse(File.ReadAllLines(Path.Combine(fleet.TenantFolder(tenant), "deploys.jsonl"))[^1]).RootElement;

    private static string ReleaseSha256(TestFleet fleet, string tenant, string version) =>
        Artifact.FromJson(File.ReadAllText(Path.Combine(fleet.TenantFolder(tenant), "releases", version, "release.json")).Replace("\n", ""))!.Sha256;

    /// <summary>Every file and folder under production's tenant folders, with sizes and times: what "nothing changed" compares.</summary>
    private static string[] ProductionFiles(TestFleet fleet) =>
        [.. TestFleet.Tenants.Select(fleet.TenantFolder).SelectMany(folder => new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            .Select(f => $"{f.FullName} {(f as FileInfo)?.Length} {f.LastWriteTimeUtc:O}").Order()];

    private async Task<ProcessResult> RunAsync(TestFleet fleet, params string[] args)
    {
        var took = Stopwatch.StartNew();
        var result = await fleet.StorageCtlAsync(args);
        output.WriteLine($"$ storagectl {string.Join(' ', args)}  ({took.Elapsed.TotalSeconds:F1} s, exit {result.ExitCode})\n{result}");
        return result;
    }

    /// <remarks>
    /// Two deploys take most of the time, so the hotfix that skips staging goes to acme (host-a) while staging (host-b)
    /// gets the release candidate: different hosts and tenants, nothing shared but the configuration.
    /// </remarks>
    [Fact]
    public async Task Production_takes_the_bytes_staging_passed_and_refuses_others_unless_told_why()
    {
        await using var fleet = await TestFleet.StartAsync(staging: true);
        var candidate = Artifact.Load(artifacts.V2);
        var hotfix = Artifact.Load(artifacts.V1);
        var shortHash = Artifact.ShortHash(candidate.Sha256);
        // A release version's checklist wants its changelog section; storagectl runs in the fleet's folder (--repo .).
        await File.WriteAllTextAsync(Path.Combine(fleet.Folder, "CHANGELOG.md"), "# Changelog\n\n## [2.0.0] - 2026-11-30\n\n- the release\n");

        async Task StagingPassesTheCandidateAsync()
        {
            (await RunAsync(fleet, "deploy", "staging", "--artifact", artifacts.V2)).ExitCode.ShouldBe(0);
            var checklist = await RunAsync(fleet, "checklist", "staging", "--artifact", artifacts.V2, "--skip-tests");

            checklist.ExitCode.ShouldBe(0, checklist.ToString());
            checklist.Output.ShouldContain($"[ok]   {Stage}@host-b runs 2.0.0: sha256 {shortHash}… in its release.json");
            checklist.Output.ShouldContain($"[ok]   {Stage}@host-b error rate");
            checklist.Output.ShouldContain("[ok]   each tenant's isolation (the isolation probe): isolation probe passed:");
            checklist.Output.ShouldContain($"recorded in the history of {Stage}@host-b: checklist succeeded for 2.0.0 (sha256 {shortHash}…)");
            LastRecord(fleet, Stage).GetProperty("kind").GetString().ShouldBe("checklist");
            LastRecord(fleet, Stage).GetProperty("outcome").GetString().ShouldBe("succeeded");
            LastRecord(fleet, Stage).GetProperty("sha256").GetString().ShouldBe(candidate.Sha256);
        }

        async Task AHotfixStagingNeverRanIsRefusedThenGoesWithAReasonAsync()
        {
            var before = ProductionFiles(fleet);
            var refused = await RunAsync(fleet, "deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1);

            refused.ExitCode.ShouldBe(1, refused.ToString());
            refused.Errors.Trim().ShouldBe($"error: production takes only what staging's checklist passed, and it has not passed 1.0.0 (sha256 {Artifact.ShortHash(hotfix.Sha256)}…): " +
                $"{Stage}@host-b never ran it; deploy it to staging and pass its checklist: storagectl deploy staging --artifact {artifacts.V1} && storagectl checklist staging --artifact {artifacts.V1}, " +
                "or deploy with --skip-staging \"<reason>\"");
            ProductionFiles(fleet).ShouldBe(before);

            const string reason = "e2e: a hotfix while staging is busy";
            var skipped = await RunAsync(fleet, "deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1, "--skip-staging", reason);

            skipped.ExitCode.ShouldBe(0, skipped.ToString());
            skipped.Errors.ShouldContain($"warning: --skip-staging \"{reason}\": production takes only what staging's checklist passed, and it has not passed 1.0.0");
            LastRecord(fleet, "acme").GetProperty("version").GetString().ShouldBe("1.0.0");
            LastRecord(fleet, "acme").GetProperty("skipStaging").GetString().ShouldBe(reason);
            LastRecord(fleet, "acme").GetProperty("sha256").GetString().ShouldBe(hotfix.Sha256);
        }

        await Task.WhenAll(StagingPassesTheCandidateAsync(), AHotfixStagingNeverRanIsRefusedThenGoesWithAReasonAsync());

        var production = await RunAsync(fleet, "deploy", "production", "--artifact", artifacts.V2);

        production.ExitCode.ShouldBe(0, production.ToString());
        production.Output.ShouldContain($"promotion: staging's checklist passed 2.0.0 (sha256 {shortHash}…) on {Stage}@host-b (checklist ");
        production.Output.ShouldContain("deploy of 2.0.0 to production done: acme@host-a 1.0.0 -> 2.0.0, globex@host-a (nothing) -> 2.0.0, initech@host-b (nothing) -> 2.0.0");
        foreach (var tenant in TestFleet.Tenants.Append(Stage))
            ReleaseSha256(fleet, tenant, "2.0.0").ShouldBe(candidate.Sha256, $"{tenant}'s release.json");
        foreach (var tenant in TestFleet.Tenants)
        {
            LastRecord(fleet, tenant).GetProperty("sha256").GetString().ShouldBe(candidate.Sha256);
            LastRecord(fleet, tenant).GetProperty("skipStaging").ValueKind.ShouldBe(JsonValueKind.Null); // the reason belongs to the hotfix's run only
        }
        var status = await RunAsync(fleet, "status", "production");
        foreach (var tenant in TestFleet.Tenants) status.Output.ShouldMatch($@"(?m)^{tenant}\s+host-.\s+2\.0\.0\s+{shortHash}\s+ready");
    }
}
