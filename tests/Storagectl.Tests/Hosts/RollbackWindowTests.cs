using System.Diagnostics;
using System.Net.Sockets;
using Storagectl.HostCommands;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Hosts;

/// <summary>
/// The rollback window's scripts run for real on this machine: the timer that ends a window stops the warm slot under
/// the tenant lock and records it, leaves alone a window a later run replaced, and a drain waits for the old slot's
/// socket to have no connection instead of sleeping.
/// </summary>
public sealed class RollbackWindowTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("window-");
    private readonly List<Process> _slots = [];
    private TenantPaths Paths => new(_root.FullName, "acme");
    private static readonly LocalConnection Here = new("here");

    private async Task<Process> StartSlotAsync(Slot slot)
    {
        Directory.CreateDirectory(Paths.Run);
        var process = Process.Start("sleep", "300")!;
        _slots.Add(process);
        await File.WriteAllTextAsync(Paths.SlotPid(slot), process.Id.ToString());
        return process;
    }

    [Fact]
    public async Task The_timer_stops_the_warm_slot_when_the_window_ends_and_records_it_in_the_history()
    {
        var warm = await StartSlotAsync(Slot.Blue);
        await File.WriteAllTextAsync(Path.Combine(Paths.Root, "active"), "green\n");

        var keep = await Here.RunAsync(WarmSlotCommands.Keep(Config.Hosts["web-1"], "production", Paths, Slot.Blue, "1.0.0", 1));

        keep.ExitCode.ShouldBe(0, keep.Errors);
        var record = WarmSlot.Parse(await File.ReadAllTextAsync(Paths.Warm)).ShouldNotBeNull();
        record.ShouldBe(new WarmSlot(Slot.Blue, "1.0.0", record.Until));
        record.Until.ShouldBeInRange(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(3));
        await warm.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => !File.Exists(Paths.Warm) && File.Exists(Paths.History) && !Directory.Exists(Paths.Lock));
        var line = DeployRecord.FromJson(File.ReadAllLines(Paths.History).ShouldHaveSingleItem()).ShouldNotBeNull();
        line.Kind.ShouldBe(WarmSlotCommands.EndKind);
        line.Version.ShouldBe("1.0.0");
        line.Who.ShouldBe("rollback window");
        line.Host.ShouldBe("web-1");
        File.Exists(Paths.SlotPid(Slot.Blue)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_window_that_a_later_run_replaced_or_made_active_again_is_left_alone()
    {
        var blue = await StartSlotAsync(Slot.Blue);
        await File.WriteAllTextAsync(Path.Combine(Paths.Root, "active"), "green\n");
        (await Here.RunAsync(WarmSlotCommands.Keep(Config.Hosts["web-1"], "production", Paths, Slot.Blue, "1.0.0", 1))).ExitCode.ShouldBe(0);
        var replaced = $"blue 1.0.0 {DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()}\n";
        await File.WriteAllTextAsync(Paths.Warm, replaced); // a rollback and a deploy since: another window for the same slot

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        blue.HasExited.ShouldBeFalse();
        (await File.ReadAllTextAsync(Paths.Warm)).ShouldBe(replaced);
        File.Exists(Paths.History).ShouldBeFalse();
    }

    [Fact]
    public async Task A_drain_stops_the_slot_as_soon_as_its_socket_has_no_connection_left()
    {
        var slot = await StartSlotAsync(Slot.Green);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(Paths.SlotSocket(Slot.Green)));
        listener.Listen();
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(Paths.SlotSocket(Slot.Green)));
        using var accepted = await listener.AcceptAsync(); // a request in flight: nginx's connection, accepted by the slot

        var clock = Stopwatch.StartNew();
        var drain = Here.RunAsync(ServiceCommands.DrainAndStop(Config.Hosts["web-1"], Paths, Slot.Green, 20));
        await Task.Delay(TimeSpan.FromSeconds(1));
        drain.IsCompleted.ShouldBeFalse();
        client.Dispose();
        accepted.Dispose();
        (await drain).ExitCode.ShouldBe(0);

        clock.Elapsed.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)); // not the 20 s of its timeout
        await slot.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("the window did not end");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        foreach (var slot in _slots.Where(s => !s.HasExited)) slot.Kill();
        _root.Delete(recursive: true);
    }
}
