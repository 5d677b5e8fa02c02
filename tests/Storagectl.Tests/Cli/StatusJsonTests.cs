using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Storagectl.Planning;
using Storagectl.Tests.Releasing;

namespace Storagectl.Tests.Cli;

/// <summary>
/// `status` and `history` through the built binary, on two real hosts: this machine (local transport, a tenant folder
/// and a real /health server) and an ssh host whose port is closed. The tables keep each cell to a few words; --json
/// carries the same data, including ssh's full message.
/// </summary>
public sealed class StatusJsonTests : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("status-");
    private Hosts.LocalHttpService _service = null!;
    private string _config = null!;
    private int _closedPort;
    private static readonly string Sha256 = "3f2a1bc9e0d4" + new string('7', 52);

    public async Task InitializeAsync()
    {
        _closedPort = FreePort.Next();
        _service = await Hosts.LocalHttpService.StartAsync(app => app.MapGet("/health", () => Results.Json(new { status = "healthy", version = "1.0.0" })));
        var healthPort = _service.Port;

        var acme = Path.Combine(_root.FullName, "acme");
        Directory.CreateDirectory(Path.Combine(acme, "releases", "1.0.0"));
        Directory.CreateSymbolicLink(Path.Combine(acme, "current"), Path.Combine(acme, "releases", "1.0.0"));
        await File.WriteAllTextAsync(Path.Combine(acme, "releases", "1.0.0", "release.json"),
            new Artifact("storage-api", "1.0.0", "abc123", DateTimeOffset.UnixEpoch, "storage-api-1.0.0.tar.gz", Sha256).ManifestJson());
        var started = new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
        await File.WriteAllTextAsync(Path.Combine(acme, "deploys.jsonl"),
            new DeployRecord(started, started.AddSeconds(42), "production", "acme", "local-1", "1.0.0", "abc123", null, "ana", DeployRecord.Succeeded, null).ToJson() + "\n");
        Directory.CreateDirectory(Path.Combine(acme, "deploy.lock"));
        await File.WriteAllTextAsync(Path.Combine(acme, "deploy.lock", "owner.json"), new LockOwner("bob@laptop", DateTimeOffset.UtcNow, "2.0.0", "bobs-token").ToJson());
        // A rollback window with 0.9.0 warm in the blue slot: a real process (this one), so it runs and has a resident size.
        Directory.CreateDirectory(Path.Combine(acme, "run"));
        await File.WriteAllTextAsync(Path.Combine(acme, "run", "blue.pid"), Environment.ProcessId.ToString());
        await File.WriteAllTextAsync(Path.Combine(acme, "warm"), $"blue 0.9.0 {DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()}\n");

        var sshConfig = Path.Combine(_root.FullName, "ssh_config");
        await File.WriteAllTextAsync(sshConfig, "");
        _config = Path.Combine(_root.FullName, "storagectl.yml");
        await File.WriteAllTextAsync(_config, $$"""
            ssh_config: {{sshConfig}}
            hosts:
              local-1: { address: 127.0.0.1, root: {{_root.FullName}}, transport: local, service_manager: process, proxy: none }
              gone-1: { address: 127.0.0.1, port: {{_closedPort}}, root: /srv/storage, service_manager: process, proxy: none }
            environments:
              production:
                tenants:
                  acme: { hosts: [local-1], port: {{healthPort}} }
                  globex: { hosts: [gone-1], port: 8300 }
            """);
    }

    [Fact]
    public async Task Status_json_carries_the_tables_data_and_ssh_full_message()
    {
        var result = await StoragectlProcess.RunAsync(["status", "production", "--config", _config, "--json"]);

        result.ExitCode.ShouldBe(1, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        root.GetProperty("environment").GetString().ShouldBe("production");
        root.GetProperty("healthy").GetBoolean().ShouldBeFalse();
        var targets = root.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("tenant").GetString()!);

        var acme = targets["acme"];
        acme.GetProperty("host").GetString().ShouldBe("local-1");
        acme.GetProperty("reachable").GetBoolean().ShouldBeTrue();
        acme.GetProperty("version").GetString().ShouldBe("1.0.0");
        acme.GetProperty("sha256").GetString().ShouldBe(Sha256);
        acme.GetProperty("health").GetProperty("state").GetString().ShouldBe("ready");
        acme.GetProperty("health").GetProperty("detail").ValueKind.ShouldBe(JsonValueKind.Null);
        acme.GetProperty("lock").GetProperty("who").GetString().ShouldBe("bob@laptop");
        acme.GetProperty("lock").GetProperty("version").GetString().ShouldBe("2.0.0");
        acme.GetProperty("lastDeploy").GetProperty("version").GetString().ShouldBe("1.0.0");
        acme.GetProperty("lastDeploy").GetProperty("outcome").GetString().ShouldBe("succeeded");
        acme.GetProperty("runningSlots").EnumerateArray().Select(s => s.GetString()).ShouldBe(["blue"]);
        var warm = acme.GetProperty("warm");
        warm.GetProperty("slot").GetString().ShouldBe("blue");
        warm.GetProperty("version").GetString().ShouldBe("0.9.0");
        warm.GetProperty("running").GetBoolean().ShouldBeTrue();
        warm.GetProperty("expired").GetBoolean().ShouldBeFalse();
        warm.GetProperty("until").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(9));
        warm.GetProperty("rssMiB").GetDouble().ShouldBeGreaterThan(1);

        var globex = targets["globex"];
        globex.GetProperty("reachable").GetBoolean().ShouldBeFalse();
        globex.GetProperty("version").ValueKind.ShouldBe(JsonValueKind.Null);
        globex.GetProperty("sha256").ValueKind.ShouldBe(JsonValueKind.Null);
        globex.GetProperty("health").GetProperty("state").GetString().ShouldBe("unreachable");
        globex.GetProperty("health").GetProperty("summary").GetString().ShouldBe("unreachable: ssh connection refused");
        globex.GetProperty("health").GetProperty("detail").GetString()!.ShouldContain($"port {_closedPort}: Connection refused");
        result.Output.ShouldNotContain("bobs-token");
    }

    [Fact]
    public async Task Status_table_keeps_the_health_cell_short_and_puts_the_full_message_under_it()
    {
        var result = await StoragectlProcess.RunAsync(["status", "production", "--config", _config, "--plain"]);

        result.ExitCode.ShouldBe(1, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldMatch(@"^TENANT\s+HOST\s+VERSION\s+SHA256\s+HEALTH\s+SLOT\s+LOCK\s+LAST DEPLOY\s+LAST BACKUP\s+ROLLBACK TARGET$");
        lines.ShouldContain(l => System.Text.RegularExpressions.Regex.IsMatch(l,
            @"^acme\s+local-1\s+1\.0\.0\s+3f2a1bc9e0d4\s+ready\s+blue\s+bob@laptop since .*2026-05-04 10:00 deploy 1\.0\.0 succeeded by ana\s+\S+\s+blue 0\.9\.0 until \d\d:\d\d:\d\d \(10m\), \d+ MiB$"));
        lines.ShouldContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^globex\s+gone-1\s+\?\s+unreachable: ssh connection refused$"));
        lines.ShouldContain($"globex@gone-1: gone-1: cannot read /srv/storage/globex: ssh: connect to host 127.0.0.1 port {_closedPort}: Connection refused");
        lines.Length.ShouldBe(4, result.Output);
    }

    [Fact]
    public async Task History_json_lists_the_records_and_the_hosts_it_could_not_read()
    {
        var result = await StoragectlProcess.RunAsync(["history", "production", "--config", _config, "--json"]);

        result.ExitCode.ShouldBe(1, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var entry = json.RootElement.GetProperty("entries").EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("tenant").GetString().ShouldBe("acme");
        entry.GetProperty("host").GetString().ShouldBe("local-1");
        entry.GetProperty("kind").GetString().ShouldBe("deploy");
        entry.GetProperty("previousVersion").ValueKind.ShouldBe(JsonValueKind.Null);
        entry.GetProperty("finishedAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2026, 5, 4, 10, 0, 42, TimeSpan.Zero));
        var unread = json.RootElement.GetProperty("unreachable").EnumerateArray().ShouldHaveSingleItem();
        unread.GetProperty("tenant").GetString().ShouldBe("globex");
        unread.GetProperty("error").GetString()!.ShouldContain("Connection refused");
        result.Errors.ShouldContain("error: gone-1: cannot read /srv/storage/globex");
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _root.Delete(recursive: true);
    }
}
