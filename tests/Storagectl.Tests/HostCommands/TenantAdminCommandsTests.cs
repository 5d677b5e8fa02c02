using Storagectl.HostCommands;
using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Tests.HostCommands;

/// <summary>
/// The tenant and key verbs run in shared/ with the release's binary and are safe to run again: against a stand-in
/// binary that keeps tenants and keys in files, as the service keeps them in its database.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]  // a bash stand-in for the binary
public sealed class TenantAdminCommandsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("tenant-admin-");

    private const string StandIn = """
        #!/bin/bash
        # Runs in shared/: "tenants.txt" and "keys.txt" stand for the database.
        case "$1 $2" in
          "tenants list") cat tenants.txt 2>/dev/null | while read -r t; do printf '%s\t%s\t0 active keys\n' "$t" "$t"; done ;;
          "tenants create") echo "$3" >> tenants.txt; echo "created tenant $3 ($5)" ;;
          "keys list") grep "^$3 " keys.txt 2>/dev/null | while read -r _ id; do printf '%s\tfirst-key\tsk_1…\tactive\n' "$id"; done ;;
          "keys create") echo "$3 key_$RANDOM" >> keys.txt; echo "created key for $3; it is shown only once:" >&2; echo "sk_secret_$3" ;;
        esac
        """;

    private TenantPaths Paths()
    {
        var paths = new TenantPaths(_folder.FullName, "acme");
        Directory.CreateDirectory(paths.Shared);
        Directory.CreateDirectory(paths.Release("1.0.0"));
        var binary = Path.Combine(paths.Release("1.0.0"), "storage-api");
        File.WriteAllText(binary, StandIn);
        File.SetUnixFileMode(binary, (UnixFileMode)Convert.ToInt32("755", 8));
        return paths;
    }

    [Fact]
    public async Task The_tenant_and_first_key_are_made_once_and_the_key_is_the_only_output()
    {
        var paths = Paths();
        var host = new LocalConnection("here");

        (await host.RunAsync(TenantAdminCommands.CreateTenant(paths, "1.0.0", "storage-api", "acme", "Acme GmbH"))).Output.ShouldBe("created tenant acme (Acme GmbH)\n");
        (await host.RunAsync(TenantAdminCommands.CreateTenant(paths, "1.0.0", "storage-api", "acme", "Acme GmbH"))).Output.ShouldBe("tenant acme exists already\n");
        var first = await host.RunAsync(TenantAdminCommands.CreateFirstKey(paths, "1.0.0", "storage-api", "acme", "first-key"));
        first.Output.ShouldBe("sk_secret_acme\n");
        var again = await host.RunAsync(TenantAdminCommands.CreateFirstKey(paths, "1.0.0", "storage-api", "acme", "first-key"));
        again.Succeeded.ShouldBeTrue(again.ToString());
        again.Output.ShouldBeEmpty();
        again.Errors.ShouldContain("tenant acme has an active key already; no first key was made");
        File.ReadAllLines(Path.Combine(paths.Shared, "keys.txt")).Length.ShouldBe(1);
    }

    [Fact]
    public async Task The_folder_check_and_the_listening_ports_answer_without_failing()
    {
        var host = new LocalConnection("here");
        (await host.RunAsync(TenantAdminCommands.FolderExists(new TenantPaths(_folder.FullName, "nobody")))).Output.ShouldBeEmpty();
        (await host.RunAsync(TenantAdminCommands.FolderExists(Paths()))).Output.ShouldBe("exists\n");
        (await host.RunAsync(PortCommands.Listening)).Succeeded.ShouldBeTrue();
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
