using Storagectl.Tests.Releasing;

namespace Storagectl.Tests.Cli;

/// <summary>
/// `plan` without --artifact, through the built binary, in a real repository with a host on this machine (local
/// transport): it plans the checkout's version and commit without building, and writes nothing anywhere.
/// </summary>
public sealed class PlanFromCheckoutTests : IAsyncLifetime
{
    private GitSandbox _git = null!;
    private string _hosts = null!;
    private string _cwd = null!;

    public async Task InitializeAsync()
    {
        _git = await GitSandbox.CreateAsync();
        _hosts = Directory.CreateDirectory(Path.Combine(_git.Root, "hosts")).FullName;
        _cwd = Directory.CreateDirectory(Path.Combine(_git.Root, "cwd")).FullName;
        Directory.CreateDirectory(Path.Combine(_git.Work, "deploy"));
        Directory.CreateDirectory(Path.Combine(_git.Work, "src", "StorageApi", "Data"));
        await _git.CommitAsync("feat: the first table", "src/StorageApi/Data/Init.cs", "[Migration(\"20260101000000_Init\")] partial class Init;\n");
        await _git.CommitAsync("chore: where it runs", "deploy/storagectl.yml", $$"""
            secrets_file: {{Path.Combine(_git.Root, "secrets.env")}}
            hosts:
              local-1: { address: 127.0.0.1, root: {{_hosts}}, transport: local, service_manager: process, proxy: none }
            environments:
              production:
                tenants:
                  acme:
                    hosts: [local-1]
                    port: 8200
                    env: { ENVIRONMENT: production, TENANT_ID: acme }
                    secrets: { ADMIN_API_KEY: ACME_ADMIN_API_KEY, SIGNING_KEY: ACME_SIGNING_KEY }
            """);
        await _git.TagReleaseAsync("v1.2.0");
    }

    private Task<ProcessResult> PlanAsync(Dictionary<string, string> secrets) =>
        StoragectlProcess.RunAsync(["plan", "production", "--config", Path.Combine(_git.Work, "deploy", "storagectl.yml")],
            new Dictionary<string, string>(secrets) { ["STORAGECTL_WHO"] = "ana" }, _cwd);

    [Fact]
    public async Task Plans_the_checkouts_version_and_commit_without_building_or_writing_anything()
    {
        var before = await _git.SnapshotAsync();
        var commit = await _git.GitAsync("rev-parse", "HEAD");

        var result = await PlanAsync(new() { ["ACME_ADMIN_API_KEY"] = "admin-value-123", ["ACME_SIGNING_KEY"] = "signing-value-456" });

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.Output.Split('\n');
        lines[0].ShouldBe($"no --artifact: planning storage-api 1.2.0 from the checkout at {_git.Work} (commit {commit[..12]}), not built; nothing is built and nothing is changed");
        result.Output.ShouldContain($"deploy storage-api 1.2.0 ({commit}) to production as ana");
        result.Output.ShouldContain("migrations: 1 pending: 20260101000000_Init");
        result.Output.ShouldContain("sha256 known once built");
        result.Output.ShouldNotContain("value-");
        (await _git.SnapshotAsync()).ShouldBe(before);
        Directory.EnumerateFileSystemEntries(_hosts).ShouldBeEmpty();
        Directory.EnumerateFileSystemEntries(_cwd).ShouldBeEmpty();
    }

    [Fact]
    public async Task Says_which_secret_is_not_set_on_this_machine_and_where_it_looked()
    {
        var result = await PlanAsync(new() { ["ACME_ADMIN_API_KEY"] = "admin-value-123" });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Output.ShouldContain("    secret ADMIN_API_KEY <- ACME_ADMIN_API_KEY: set in the environment\n");
        result.Output.ShouldContain("    secret SIGNING_KEY <- ACME_SIGNING_KEY: NOT SET on this machine\n");
        result.Errors.ShouldContain($"blocked: acme@local-1: secrets not set on this machine: ACME_SIGNING_KEY (looked in the environment and in {Path.Combine(_git.Root, "secrets.env")}, which does not exist)");
        result.Output.ShouldNotContain("admin-value-123");
    }

    public Task DisposeAsync()
    {
        _git.Dispose();
        return Task.CompletedTask;
    }
}
