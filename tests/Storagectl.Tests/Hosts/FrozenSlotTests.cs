using System.Diagnostics;
using Storagectl.Hosts;
using Storagectl.HostCommands;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Hosts;

/// <summary>Stopping a slot whose process is frozen (SIGSTOP): it is killed at once instead of waiting the 30 s grace for a SIGTERM it cannot act on.</summary>
public sealed class FrozenSlotTests
{
    [Fact]
    public async Task A_stopped_process_in_a_slot_is_ended_by_the_stop_script_without_waiting_for_the_kill()
    {
        var root = Directory.CreateTempSubdirectory("frozen-");
        try
        {
            await StopsAtOnceAsync(new TenantPaths(root.FullName, "acme"));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task StopsAtOnceAsync(TenantPaths paths)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(paths.SlotPid(Slot.Green))!);
        using var frozen = Process.Start("sleep", "300")!;
        (await new LocalConnection("here").RunAsync($"kill -STOP {frozen.Id}")).ExitCode.ShouldBe(0);
        await File.WriteAllTextAsync(paths.SlotPid(Slot.Green), frozen.Id.ToString());

        var clock = Stopwatch.StartNew();
        var stop = await new LocalConnection("here").RunAsync(ServiceCommands.Stop(Config.Hosts["web-1"], paths, Slot.Green));
        await frozen.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));

        stop.ExitCode.ShouldBe(0, stop.Errors);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2)); // waiting for SIGTERM: 30 s, then SIGKILL
        File.Exists(paths.SlotPid(Slot.Green)).ShouldBeFalse();
    }
}
