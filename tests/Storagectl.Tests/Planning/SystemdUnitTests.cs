using Storagectl.HostCommands;
using Storagectl.Planning;
using Storagectl.Tests.Workflows;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Planning;

/// <summary>The template unit provision installs, checked by systemd itself (statically: nothing is started).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]  // systemd units, checked with a Unix executable
public sealed class SystemdUnitTests
{
    [Fact]
    public async Task Systemd_analyze_verify_accepts_the_unit_with_its_socket_folder_writable()
    {
        using var sandbox = new ScriptSandbox();
        var paths = new TenantPaths(sandbox.Folder, "acme");
        var unit = ServiceCommands.SystemdUnit(Config.Service, paths);
        unit.ShouldContain($"ReadWritePaths={paths.Shared} {paths.Run}\n");
        if ((await sandbox.RunAsync("command -v systemd-analyze")).ExitCode != 0) return; // not installed here: the text check above stands

        Directory.CreateDirectory(paths.Shared);
        Directory.CreateDirectory(paths.Run);
        Directory.CreateDirectory(paths.SlotRelease(Slot.Blue));
        var executable = $"{paths.SlotRelease(Slot.Blue)}/{Config.Service.Executable}";
        await File.WriteAllTextAsync(executable, "#!/bin/sh\n");
        File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync($"{sandbox.Folder}/storage-acme@blue.service", unit);

        var verify = await sandbox.RunAsync("systemd-analyze verify ./storage-acme@blue.service");

        verify.ExitCode.ShouldBe(0, verify.ToString());
        verify.Errors.ShouldBeEmpty();
    }
}
