using Storagectl.Configuration;
using Storagectl.Onboarding;

namespace Storagectl.Tests.Onboarding;

/// <summary>New secrets: strong values, appended to the secrets file in its own dialect (0600), or shown as `gh secret set` lines.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]  // file modes
public sealed class TenantSecretsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("tenant-secrets-");

    [Fact]
    public void Values_are_32_random_bytes_in_hex()
    {
        var values = Enumerable.Range(0, 20).Select(_ => TenantSecrets.NewValue()).ToList();
        values.ShouldAllBe(v => System.Text.RegularExpressions.Regex.IsMatch(v, "^[0-9a-f]{64}$"));
        values.Distinct().Count().ShouldBe(20);
    }

    [Fact]
    public void A_new_file_is_created_0600_and_an_existing_one_keeps_its_lines_and_reads_back()
    {
        var file = Path.Combine(_folder.FullName, "config", "secrets.env");
        TenantSecrets.Append(file, [new("HOOLI_ADMIN_API_KEY", "a1")], "hooli");
        File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        File.AppendAllText(file, "# mine\nOTHER='kept # as is'"); // no final newline
        TenantSecrets.Append(file, [new("NEW_CO_ADMIN_API_KEY", "b2"), new("NEW_CO_SIGNING_KEY", "c3")], "new-co");

        File.ReadAllText(file).ShouldBe("# hooli\nHOOLI_ADMIN_API_KEY=a1\n# mine\nOTHER='kept # as is'\n# new-co\nNEW_CO_ADMIN_API_KEY=b2\nNEW_CO_SIGNING_KEY=c3\n");
        SecretSource.ReadFile(file)["OTHER"].ShouldBe("kept # as is");
    }

    [Fact]
    public void A_name_already_in_the_file_is_refused_and_nothing_is_written()
    {
        var file = Path.Combine(_folder.FullName, "secrets.env");
        File.WriteAllText(file, "HOOLI_SIGNING_KEY=old\n");

        Should.Throw<ConfigException>(() => TenantSecrets.Append(file, [new("HOOLI_ADMIN_API_KEY", "a"), new("HOOLI_SIGNING_KEY", "b")], "hooli"))
            .Message.ShouldBe($"{file} already has HOOLI_SIGNING_KEY; nothing was written (remove it, or keep it and run again)");
        File.ReadAllText(file).ShouldBe("HOOLI_SIGNING_KEY=old\n");
    }

    [Fact]
    public void The_gh_line_sends_the_value_on_stdin() =>
        TenantSecrets.GhSecretSet("HOOLI_ADMIN_API_KEY", "00ff", "production").ShouldBe("printf %s 00ff | gh secret set HOOLI_ADMIN_API_KEY --env production");

    public void Dispose() => _folder.Delete(recursive: true);
}
