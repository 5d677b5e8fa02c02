using Storagectl.Planning;
using Storagectl.Tests.Releasing;

namespace Storagectl.Tests.Cli;

/// <summary>
/// `tenant add` checks everything before it changes anything: a refusal is one line, exit code 1, and leaves the
/// configuration byte for byte and no secrets file. Through the built binary, against a host on this machine (transport: local).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TenantAddRefusalTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("tenant-add-");
    private string Config => Path.Combine(_folder.FullName, "storagectl.yml");
    private string Secrets => Path.Combine(_folder.FullName, "secrets.env");

    private async Task<(string Yaml, Artifact Running)> FleetAsync()
    {
        var yaml = $"""
            secrets_file: secrets.env
            hosts:
              here:
                address: 127.0.0.1
                transport: local
                root: {_folder.FullName}/srv
                service_manager: process
                proxy: none
            environments:
              production:
                tenants:
                  acme:
                    hosts: [here]
                    port: 28100
                    env: {"{"} ENVIRONMENT: production, TENANT_ID: acme {"}"}
                    secrets: {"{"} ADMIN_API_KEY: ACME_ADMIN_API_KEY, SIGNING_KEY: ACME_SIGNING_KEY {"}"}

            """;
        await File.WriteAllTextAsync(Config, yaml);
        var running = await ArtifactAsync("artifacts", "the running bytes");
        var release = Path.Combine(_folder.FullName, "srv", "acme", "releases", "1.0.0");
        Directory.CreateDirectory(release);
        await File.WriteAllTextAsync(Path.Combine(release, TenantPaths.ManifestFile), running.ManifestJson());
        File.CreateSymbolicLink(Path.Combine(_folder.FullName, "srv", "acme", "current"), "releases/1.0.0");
        return (yaml, running);
    }

    private async Task<Artifact> ArtifactAsync(string folder, string content)
    {
        var directory = Path.Combine(_folder.FullName, folder);
        Directory.CreateDirectory(Path.Combine(directory, "payload"));
        await File.WriteAllTextAsync(Path.Combine(directory, "payload", "storage-api"), content);
        var file = Path.Combine(directory, "storage-api-1.0.0.tar.gz");
        await TestProcess.RequireAsync("tar", "-czf", file, "-C", Path.Combine(directory, "payload"), ".");
        var artifact = new Artifact("storage-api", "1.0.0", "abc123", DateTimeOffset.UnixEpoch, file, FileHash.Sha256(file));
        artifact.WriteManifest();
        return artifact;
    }

    private Task<ProcessResult> TenantAddAsync(params string[] args) =>
        StoragectlProcess.RunAsync(["--config", Config, "--plain", "tenant", "add", .. args], workingDirectory: _folder.FullName);

    [Fact]
    public async Task A_ring_that_does_not_exist_is_refused_after_the_checks_and_nothing_is_written()
    {
        var (yaml, _) = await FleetAsync();

        var result = await TenantAddAsync("production", "hooli", "--host", "here", "--ring", "3");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.Trim().ShouldBe($"error: {Config}: production has no rings (one ring of all its tenants), so there is no ring 3");
        (await File.ReadAllTextAsync(Config)).ShouldBe(yaml);
        File.Exists(Secrets).ShouldBeFalse();
        Directory.Exists(Path.Combine(_folder.FullName, "srv", "hooli")).ShouldBeFalse();
    }

    [Fact]
    public async Task Another_build_of_the_running_version_is_refused_naming_the_sha256_wanted()
    {
        var (yaml, running) = await FleetAsync();
        var other = await ArtifactAsync("rebuilt", "other bytes, same version");

        var result = await TenantAddAsync("production", "hooli", "--host", "here", "--artifact", other.File);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.Trim().ShouldBe($"error: {other.File} is storage-api 1.0.0 with sha256 {other.Sha256}, but the environment runs storage-api 1.0.0 with sha256 {running.Sha256}");
        (await File.ReadAllTextAsync(Config)).ShouldBe(yaml);
        File.Exists(Secrets).ShouldBeFalse();
    }

    [Fact]
    public async Task A_secret_name_already_set_an_unknown_host_and_a_missing_host_option_are_refused()
    {
        var (yaml, _) = await FleetAsync();
        await File.WriteAllTextAsync(Secrets, "HOOLI_SIGNING_KEY=from-before\n");

        var taken = await TenantAddAsync("production", "hooli", "--host", "here");
        taken.ExitCode.ShouldBe(1, taken.ToString());
        taken.Errors.Trim().ShouldBe($"error: HOOLI_SIGNING_KEY is set already (in {Secrets}): a new tenant's secrets must be new; remove it first");

        var unknown = await TenantAddAsync("production", "hooli", "--host", "there");
        unknown.Errors.Trim().ShouldBe($"error: {Config}: no host 'there' under hosts (known: here)");

        var usage = await TenantAddAsync("production", "hooli");
        usage.ExitCode.ShouldBe(2, usage.ToString());
        (await File.ReadAllTextAsync(Config)).ShouldBe(yaml);
        (await File.ReadAllTextAsync(Secrets)).ShouldBe("HOOLI_SIGNING_KEY=from-before\n");
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
