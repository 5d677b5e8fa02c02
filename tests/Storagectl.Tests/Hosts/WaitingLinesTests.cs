using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Hosts;

/// <summary>
/// Plain output while a deploy waits: the real executor, curl on this machine and a real HTTP service that is slow to
/// become ready. The health gate and the bake window each print a line every few seconds naming the target, what is
/// checked and how far along it is, so a CI log never goes quiet for the length of a wait.
/// </summary>
public sealed class WaitingLinesTests : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("waiting-");
    private DateTimeOffset? _readyAt; // 3 s after the first check, however long a loaded machine took to get there
    private LocalHttpService _service = null!;

    public async Task InitializeAsync()
    {
        // Still the old version for its first seconds, as a slot is while the new process starts.
        _service = await LocalHttpService.StartAsync(app => app.MapGet("/health", () =>
            DateTimeOffset.UtcNow < (_readyAt ??= DateTimeOffset.UtcNow.AddSeconds(3))
                ? Results.Json(new { status = "starting", version = "1.0.0" }, statusCode: 503)
                : Results.Json(new { status = "healthy", version = "2.0.0" })));
    }

    [Fact]
    public async Task The_health_gate_and_the_bake_window_print_what_they_wait_for_every_few_seconds()
    {
        var host = Config.Hosts["web-1"] with { Root = _root.FullName, Transport = HostTransport.Local };
        var polling = new HealthPolling(TimeoutSeconds: 5, Retries: 30, IntervalSeconds: 1);
        var gate = new HealthGateStep("wait until 2.0.0 is ready", _service.Port, "/health", "2.0.0", polling);
        var bake = new BakeStep("watch 2.0.0 for 3s", _service.Port, "/health", "2.0.0", 3, 0.05, _service.Port, polling);
        var target = new TargetPlan(Config.Environment("production").Tenants["acme"], host, new TenantPaths(host.Root, "acme"), "1.0.0", "2.0.0", "abc",
            [], [gate], [], [bake], null, "true");
        var plan = new DeployPlan("production", DeployPlan.Deploy, null, "test", [new RingPlan(1, [target])]);
        var log = new StringWriter();
        await using var connection = new LocalConnection("web-1");

        var outcome = await new DeployExecutor(_ => connection,
            new PlainReporter(log, waitingEvery: TimeSpan.FromSeconds(1)), TimeProvider.System).RunAsync(plan);

        outcome.Succeeded.ShouldBeTrue(log.ToString());
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var waiting = lines.Where(l => l.Contains("... waiting for")).ToList();
        waiting.Count.ShouldBeGreaterThanOrEqualTo(2, log.ToString());
        waiting[0].ShouldMatch($@"^acme@web-1\s+\.\.\. waiting for http://127\.0\.0\.1:{_service.Port}/health to be ready with version 2\.0\.0: \d+s of ~30s \(try \d+ of 30\); last: HTTP 503, version 1\.0\.0$");
        var baking = lines.Where(l => l.Contains("... baking")).ToList();
        baking.Count.ShouldBeGreaterThanOrEqualTo(1, log.ToString());
        baking[0].ShouldMatch($@"^acme@web-1\s+\.\.\. baking: watching http://127\.0\.0\.1:{_service.Port}/health for version 2\.0\.0: \d+s of 3s, \d+ checks, 0 failed$");
        // Each line comes after the step started and before it ended, in the order of the steps.
        Array.FindIndex(lines, l => l.Contains("ok  wait until 2.0.0 is ready")).ShouldBeGreaterThan(Array.IndexOf(lines, waiting[^1]));
        Array.FindIndex(lines, l => l.Contains("ok  watch 2.0.0 for 3s")).ShouldBeGreaterThan(Array.IndexOf(lines, baking[^1]));
    }

    [Fact]
    public void Waiting_lines_are_held_back_until_the_interval_has_passed()
    {
        var log = new StringWriter();
        var reporter = new PlainReporter(log, waitingEvery: TimeSpan.FromHours(1));

        reporter.Started("acme@web-1", "wait until 2.0.0 is ready");
        for (var i = 0; i < 10; i++) reporter.Waiting("acme@web-1", "wait until 2.0.0 is ready", $"try {i}");

        log.ToString().ShouldBeEmpty();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _root.Delete(recursive: true);
    }
}
