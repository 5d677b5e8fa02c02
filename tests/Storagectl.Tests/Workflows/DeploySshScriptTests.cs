namespace Storagectl.Tests.Workflows;

/// <summary>.ci/deploy-ssh: the deploy jobs' ssh key and known hosts land in ~/.ssh readable by their owner only.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]  // a bash script for Linux runners, checked through Unix file modes
public sealed class DeploySshScriptTests
{
    private const string Key = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----";
    private const string KnownHosts = "# checked by hand\nstaging.storage.example.net ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests";
    private static readonly string Script = $"bash {RepositoryFiles.PathOf(".ci", "deploy-ssh")}";

    [Fact]
    public async Task Writes_the_key_known_hosts_and_config_with_mode_0600()
    {
        using var sandbox = new ScriptSandbox();

        var result = await sandbox.RunAsync(Script, new Dictionary<string, string> { ["DEPLOY_SSH_KEY"] = Key, ["DEPLOY_KNOWN_HOSTS"] = KnownHosts });

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.Trim().ShouldBe("ssh: the deploy key and 1 known host key(s) are in ~/.ssh");
        var ssh = Path.Combine(sandbox.Folder, ".ssh");
        File.GetUnixFileMode(ssh).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in new[] { "deploy_key", "known_hosts", "config" })
            File.GetUnixFileMode(Path.Combine(ssh, file)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, file);
        (await File.ReadAllTextAsync(Path.Combine(ssh, "deploy_key"))).ShouldBe(Key + "\n");
        (await File.ReadAllTextAsync(Path.Combine(ssh, "known_hosts"))).ShouldBe(KnownHosts + "\n");
        (await File.ReadAllTextAsync(Path.Combine(ssh, "config"))).ShouldContain("StrictHostKeyChecking yes");
    }

    [Fact]
    public async Task Without_the_secrets_it_names_them_and_stops()
    {
        using var sandbox = new ScriptSandbox();

        var result = await sandbox.RunAsync(Script, new Dictionary<string, string> { ["DEPLOY_KNOWN_HOSTS"] = KnownHosts });

        result.ExitCode.ShouldNotBe(0);
        result.Errors.ShouldContain("create the DEPLOY_SSH_KEY secret");
        Directory.Exists(Path.Combine(sandbox.Folder, ".ssh")).ShouldBeFalse();
    }

    [Fact]
    public async Task Known_hosts_without_a_host_key_fail_without_printing_the_key()
    {
        using var sandbox = new ScriptSandbox();

        var result = await sandbox.RunAsync(Script, new Dictionary<string, string> { ["DEPLOY_SSH_KEY"] = Key, ["DEPLOY_KNOWN_HOSTS"] = "# nothing yet" });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.ShouldContain("DEPLOY_KNOWN_HOSTS holds no host key");
        result.ToString().ShouldNotContain("not-a-real-key");
    }
}
