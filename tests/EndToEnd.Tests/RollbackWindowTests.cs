using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>
/// The rollback window on real sshd + nginx hosts: after a deploy the old slot keeps running, so a rollback inside the
/// window is a checked switch back to it; when the window ends the old slot is stopped and that is recorded; a new slot
/// that freezes fails its gate within the gate's budget and is killed at once.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed partial class RollbackWindowTests(Artifacts artifacts, ITestOutputHelper output)
{
    private static async Task DeployAsync(TestFleet fleet, string artifact)
    {
        var result = await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifact);
        result.ExitCode.ShouldBe(0, result.ToString());
    }

    private static string? PidOf(TestFleet fleet, string slot)
    {
        var file = Path.Combine(fleet.TenantFolder("acme"), "run", slot + ".pid");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    private static bool Runs(string? pid) => pid is not null && File.Exists($"/proc/{pid}/stat")
        && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1][0] is not ('Z' or 'X');

    [Fact]
    public async Task A_rollback_inside_the_window_is_a_checked_switch_back_that_fails_no_request_and_keeps_the_slot_left_warm()
    {
        await using var fleet = await TestFleet.StartAsync();
        await DeployAsync(fleet, artifacts.V1);
        var key = await fleet.CreateTenantAndKeyAsync("acme");
        using var acme = fleet.Client("acme", key);
        var seeded = await (await acme.PostAsync("/v1/objects", new MultipartFormDataContent { { new ByteArrayContent("seed"u8.ToArray()), "file", "seed.txt" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        await DeployAsync(fleet, artifacts.V2);
        var warmPid = PidOf(fleet, "blue");
        Runs(warmPid).ShouldBeTrue("1.0.0 keeps running in the blue slot after the switch to green");
        var status = await fleet.StorageCtlAsync("status", "production", "--tenant", "acme");
        status.Output.ShouldMatch(@"acme\s+host-a\s+2\.0\.0\s+[0-9a-f]{12}\s+ready\s+green\s+free\s.*blue 1\.0\.0 until \d\d:\d\d:\d\d \(10m\), \d+ MiB");

        await using var load = new TrafficLoad(fleet, "acme", key, seeded.GetProperty("id").GetString()!, loops: 3);
        await Task.Delay(500);
        var clock = Stopwatch.StartNew();
        var rollback = await fleet.StorageCtlAsync("rollback", "production", "--tenant", "acme");
        output.WriteLine($"rollback inside the window: {clock.Elapsed.TotalSeconds:0.00} s, {load.Requests} requests so far\n{rollback.Output}");
        await Task.Delay(500);
        await load.DisposeAsync();

        rollback.ExitCode.ShouldBe(0, rollback.ToString());
        rollback.Output.ShouldContain("ok  check that 1.0.0 still answers in the warm blue slot on port");
        rollback.Output.ShouldNotContain("start 1.0.0");
        rollback.Output.ShouldContain("ok  keep the green slot (2.0.0) running for rollbacks for 600s");
        PidOf(fleet, "blue").ShouldBe(warmPid); // the same process serves again: nothing was started
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
        Runs(PidOf(fleet, "green")).ShouldBeTrue("2.0.0 is now the warm one");
        load.Failures.ShouldBeEmpty();
        (await load.MissingAsync()).ShouldBeEmpty();

        var forward = await fleet.StorageCtlAsync("rollback", "production", "--tenant", "acme", "--to", "2.0.0");
        forward.ExitCode.ShouldBe(0, forward.ToString());
        forward.Output.ShouldContain("ok  check that 2.0.0 still answers in the warm green slot on port");
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("2.0.0");
    }

    [Fact]
    public async Task When_the_window_ends_the_old_slot_is_stopped_and_recorded_and_a_rollback_starts_the_release_afresh()
    {
        await using var fleet = await TestFleet.StartAsync(rollbackWindowSeconds: 3);
        await DeployAsync(fleet, artifacts.V1);
        await DeployAsync(fleet, artifacts.V2);
        var warmPid = PidOf(fleet, "blue");
        Runs(warmPid).ShouldBeTrue();

        // The timer stops the slot, then removes the record, writes the history line and releases the lock.
        var warm = Path.Combine(fleet.TenantFolder("acme"), "warm");
        var lockFolder = Path.Combine(fleet.TenantFolder("acme"), "deploy.lock");
        var clock = Stopwatch.StartNew();
        while ((Runs(warmPid) || File.Exists(warm) || Directory.Exists(lockFolder)) && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(200);

        Runs(warmPid).ShouldBeFalse("the window's timer stops the old slot");
        File.Exists(warm).ShouldBeFalse();
        var last = JsonDocument.Parse(File.ReadAllLines(Path.Combine(fleet.TenantFolder("acme"), "deploys.jsonl"))[^1]).RootElement;
        last.GetProperty("kind").GetString().ShouldBe("window-end");
        last.GetProperty("version").GetString().ShouldBe("1.0.0");
        Directory.Exists(lockFolder).ShouldBeFalse();
        var history = await fleet.StorageCtlAsync("history", "production", "--tenant", "acme");
        history.Output.Split('\n')[1].ShouldMatch(@"acme\s+host-a\s+window-end\s+stopped 1\.0\.0\s+succeeded\s+rollback window");
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("2.0.0");

        var rollback = await fleet.StorageCtlAsync("rollback", "production", "--tenant", "acme");

        rollback.ExitCode.ShouldBe(0, rollback.ToString());
        rollback.Output.ShouldContain("ok  start 1.0.0 in the blue slot");
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
    }

    [Fact]
    public async Task A_new_slot_that_freezes_fails_the_gate_within_its_budget_and_the_way_back_takes_under_two_seconds()
    {
        await using var fleet = await TestFleet.StartAsync(gateRetries: 50); // 50 x 0.2 s: a 10 s budget
        await DeployAsync(fleet, artifacts.V1);

        var clock = Stopwatch.StartNew();
        var result = await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.Frozen);
        output.WriteLine($"frozen release: {clock.Elapsed.TotalSeconds:0.0} s\n{result.Output}");

        result.ExitCode.ShouldBe(1, result.ToString());
        var gate = GateFailure().Match(result.Output);
        gate.Success.ShouldBeTrue(result.Output);
        double.Parse(gate.Groups["seconds"].Value, CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(11);
        var stop = UndoStart().Match(result.Output);
        stop.Success.ShouldBeTrue(result.Output);
        double.Parse(stop.Groups["seconds"].Value, CultureInfo.InvariantCulture).ShouldBeLessThan(2);
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
        Runs(PidOf(fleet, "green")).ShouldBeFalse();
    }

    [GeneratedRegex(@"ERR wait until 3\.0\.0-frozen is ready on port \d+: not ready with version 3\.0\.0-frozen after \d+ tries in (?<seconds>[0-9.]+)s")]
    private static partial Regex GateFailure();

    [GeneratedRegex(@"ok  undo: start 3\.0\.0-frozen in the green slot on port \d+ \((?<seconds>[0-9.]+)s\)")]
    private static partial Regex UndoStart();
}
