using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Hosts;

/// <summary>
/// The bake window against a real HTTP service on this machine, through the real executor and curl: a version that
/// stays healthy but answers too many requests with 5xx is rolled back; one that does not, passes.
/// </summary>
public sealed class BakeTests : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("bake-");
    private LocalHttpService _service = null!;
    private double _requests;
    private double _errors;

    /// <summary>The share of requests the fake service reports as 5xx between two scrapes.</summary>
    private double ErrorShare { get; set; }

    public async Task InitializeAsync()
    {
        _service = await LocalHttpService.StartAsync(app =>
        {
            app.MapGet("/health", () => Results.Json(new { status = "healthy", version = "2.0.0" }));
            app.MapGet("/metrics", () =>
            {
                _requests += 100;
                _errors += 100 * ErrorShare;
                return Results.Text($"# TYPE storage_requests_total counter\nstorage_requests_total{{tenant=\"acme\"}} {_requests}\n" +
                                    $"storage_errors_total{{tenant=\"acme\"}} {_errors}\n", "text/plain");
            });
        });
    }

    private async Task<DeployOutcome> BakeAsync()
    {
        var host = Config.Hosts["web-1"] with { Root = _root.FullName, Transport = HostTransport.Local };
        var tenant = Config.Environment("production").Tenants["acme"];
        var bake = new BakeStep("watch 2.0.0 for 2s", _service.Port, "/health", "2.0.0", 2, 0.05, _service.Port, HealthPolling.Of(Config.Health) with { IntervalSeconds = 1 });
        var target = new TargetPlan(tenant, host, new TenantPaths(host.Root, "acme"), "1.0.0", "2.0.0", "abc", [], [], [], [bake], null, "true");
        var plan = new DeployPlan("production", DeployPlan.Deploy, null, "test", [new RingPlan(1, [target])]);
        await using var connection = new LocalConnection("web-1");
        return await new DeployExecutor(_ => connection, new PlainReporter(TextWriter.Null), TimeProvider.System).RunAsync(plan);
    }

    [Fact]
    public async Task A_healthy_version_that_answers_too_many_requests_with_5xx_is_rolled_back()
    {
        ErrorShare = 0.2;

        var outcome = await BakeAsync();

        outcome.Succeeded.ShouldBeFalse();
        outcome.FirstError!.ShouldContain("requests answered 5xx (20%) while baking");
        File.ReadAllText(Path.Combine(_root.FullName, "acme", "deploys.jsonl")).ShouldContain("\"outcome\":\"rolled-back\"");
    }

    [Fact]
    public async Task A_version_within_the_error_budget_passes()
    {
        ErrorShare = 0.01;

        (await BakeAsync()).Succeeded.ShouldBeTrue();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _root.Delete(recursive: true);
    }
}
