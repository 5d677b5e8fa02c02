using Storagectl.Planning;
using Storagectl.Tests.Releasing;

namespace Storagectl.Tests.Cli;

/// <summary>
/// The promotion rule through the built binary, on this machine as a local host: production promotes from staging,
/// whose one tenant's deploys.jsonl is written by hand. Without a succeeded checklist line for the artifact's sha256,
/// deploy refuses before it touches production and plan prints its plan, then says it is blocked; with one, both go on.
/// </summary>
public sealed class PromotionGateTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("promotion-");
    private readonly string _config;
    private readonly Artifact _artifact;

    public PromotionGateTests()
    {
        var content = Directory.CreateDirectory(Path.Combine(_root.FullName, "build"));
        File.WriteAllText(Path.Combine(content.FullName, "storage-api"), "#!/bin/sh\n");
        var file = Path.Combine(_root.FullName, "storage-api-1.4.0.tar.gz");
        TestProcess.RequireAsync("tar", "-czf", file, "-C", content.FullName, ".").GetAwaiter().GetResult();
        _artifact = new Artifact("storage-api", "1.4.0", "abc1234", DateTimeOffset.UnixEpoch, file, FileHash.Sha256(file));
        _artifact.WriteManifest();

        var hosts = Directory.CreateDirectory(Path.Combine(_root.FullName, "srv"));
        Directory.CreateDirectory(Path.Combine(hosts.FullName, "stage"));
        _config = Path.Combine(_root.FullName, "storagectl.yml");
        File.WriteAllText(_config, $$"""
            hosts:
              local-1: { address: 127.0.0.1, root: {{hosts.FullName}}, transport: local, service_manager: process, proxy: none }
            environments:
              staging:
                tenants:
                  stage: { hosts: [local-1], port: {{FreePort.Next()}} }
              production:
                promote_from: staging
                tenants:
                  acme: { hosts: [local-1], port: {{FreePort.Next()}} }
            """);
    }

    private string StagingHistory => Path.Combine(_root.FullName, "srv", "stage", "deploys.jsonl");

    private Task<ProcessResult> RunAsync(params string[] args) => StoragectlProcess.RunAsync([.. args, "--config", _config, "--plain"]);

    [Fact]
    public async Task Deploy_refuses_what_staging_never_ran_before_touching_production_and_plan_says_it_is_blocked()
    {
        var refusal = $"production takes only what staging's checklist passed, and it has not passed 1.4.0 (sha256 {Artifact.ShortHash(_artifact.Sha256)}…): stage@local-1 never ran it; " +
            $"deploy it to staging and pass its checklist: storagectl deploy staging --artifact {_artifact.File} && storagectl checklist staging --artifact {_artifact.File}, " +
            "or deploy with --skip-staging \"<reason>\"";

        var deploy = await RunAsync("deploy", "production", "--artifact", _artifact.File);
        var plan = await RunAsync("plan", "production", "--artifact", _artifact.File);

        deploy.ExitCode.ShouldBe(1, deploy.ToString());
        deploy.Output.ShouldBeEmpty();
        deploy.Errors.TrimEnd().ShouldBe("error: " + refusal);
        Directory.Exists(Path.Combine(_root.FullName, "srv", "acme")).ShouldBeFalse();
        plan.ExitCode.ShouldBe(1, plan.ToString());
        plan.Output.ShouldContain("deploy storage-api 1.4.0 (abc1234) to production");
        plan.Errors.TrimEnd().ShouldBe("blocked: " + refusal);
    }

    [Fact]
    public async Task A_succeeded_checklist_of_the_artifacts_sha256_lets_plan_go_on_and_says_where_it_passed()
    {
        var finished = new DateTimeOffset(2026, 11, 30, 9, 41, 0, TimeSpan.Zero);
        await File.WriteAllTextAsync(StagingHistory, new DeployRecord(finished, finished, "staging", "stage", "local-1", "1.4.0", "abc1234", "1.4.0", "ana (ci)",
            DeployRecord.Succeeded, null, DeployPlan.Checklist) { Sha256 = _artifact.Sha256 }.ToJson() + "\n");

        var plan = await RunAsync("plan", "production", "--artifact", _artifact.File);

        plan.ExitCode.ShouldBe(0, plan.ToString());
        plan.Output.Split('\n')[0].ShouldBe($"promotion: staging's checklist passed 1.4.0 (sha256 {Artifact.ShortHash(_artifact.Sha256)}…) on stage@local-1 (checklist 2026-11-30 09:41 UTC by ana (ci))");
    }

    public void Dispose() => _root.Delete(recursive: true);
}
