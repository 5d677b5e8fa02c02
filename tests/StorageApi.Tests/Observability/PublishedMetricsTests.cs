using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using StorageApi.Tests.Cli;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Observability;

/// <summary>
/// /metrics of a released build, alone in its process: who exports (target_info), series that alerts need at 0
/// before their first event, and the runtime's own numbers.
/// </summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class PublishedMetricsTests(PublishedService published)
{
    [Fact]
    public async Task Target_info_names_the_service_its_version_instance_environment_and_tenant()
    {
        using var production = new ProductionEnvironment();
        await using var server = await StartAsync(production, ("TENANT_ID", "acme"));
        var instance = (await server.Http.GetFromJsonAsync<JsonElement>("/health")).GetProperty("instance").GetString()!;

        var targetInfo = (await server.Http.GetStringAsync("/metrics")).Split('\n').Single(l => l.StartsWith("target_info{"));

        Label(targetInfo, "service_name").ShouldBe("storage-api");
        Label(targetInfo, "service_version").ShouldBe(PublishedService.Version);
        Label(targetInfo, "service_instance_id").ShouldBe(instance);
        Label(targetInfo, "deployment_environment_name").ShouldBe("production");
        Label(targetInfo, "tenant_id").ShouldBe("acme");
    }

    [Fact]
    public async Task Errors_rate_limits_and_queues_read_zero_for_every_tenant_before_their_first_event()
    {
        using var production = new ProductionEnvironment();
        await using var server = await StartAsync(production);
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", production.AdminKey);
        (await server.Http.PostAsJsonAsync("/v1/admin/tenants", new { id = "acme", name = "Acme" })).EnsureSuccessStatusCode();
        var key = (await (await server.Http.PostAsJsonAsync("/v1/admin/tenants/acme/keys", new { name = "ci" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("key").GetString()!;

        var before = await server.Http.GetStringAsync("/metrics");

        Value(before, "storage_errors_total", ("route", "/v1/objects"), ("tenant", "acme")).ShouldBe(0);
        Value(before, "storage_errors_total", ("route", "/v1/objects/{id}"), ("tenant", "-")).ShouldBe(0);
        Value(before, "storage_errors_total", ("route", "/v1/admin/tenants"), ("tenant", "admin")).ShouldBe(0);
        foreach (var limit in new[] { "requests", "anonymousRequests", "uploadBytes", "concurrentUploads" })
            Value(before, "storage_rate_limited_total", ("limit", limit), ("tenant", "acme")).ShouldBe(0);
        Value(before, "storage_embedding_queue", ("tenant", "acme")).ShouldBe(0);
        Value(before, "storage_objects", ("tenant", "acme")).ShouldBe(0);

        // The first error of a series then shows as an increase from 0.
        await production.DropObjectsTableAsync();
        using var list = new HttpRequestMessage(HttpMethod.Get, "/v1/objects") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
        ((int)(await server.Http.SendAsync(list)).StatusCode).ShouldBe(500);
        Value(await server.Http.GetStringAsync("/metrics"), "storage_errors_total", ("route", "/v1/objects"), ("tenant", "acme")).ShouldBe(1);
    }

    [Fact]
    public async Task Process_and_runtime_metrics_are_exported()
    {
        using var production = new ProductionEnvironment();
        await using var server = await StartAsync(production);

        var text = await server.Http.GetStringAsync("/metrics");

        text.ShouldContain("# TYPE dotnet_process_cpu_time_seconds_total counter");
        text.ShouldContain("# TYPE dotnet_process_memory_working_set_bytes gauge");
        text.ShouldContain("# TYPE dotnet_gc_collections_total counter");
        text.ShouldContain("\ndotnet_thread_pool_thread_count");
    }

    private async Task<ServerProcess> StartAsync(ProductionEnvironment production, params (string Key, string? Value)[] changes)
    {
        var variables = production.With(changes);
        (await published.RunAsync(production.WorkingDirectory, variables, "migrate")).ExitCode.ShouldBe(0);
        return await published.StartServerAsync(production.WorkingDirectory, variables);
    }

    private static string Label(string line, string name) =>
        Regex.Match(line, $"[{{,]{name}=\"([^\"]*)\"") is { Success: true } match ? match.Groups[1].Value : throw new ShouldAssertException($"no {name} in {line}");

    /// <summary>The value of the one series of <paramref name="metric"/> with these labels (others may be on it too).</summary>
    private static double Value(string text, string metric, params (string Name, string Value)[] labels)
    {
        var series = text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal)
            && labels.All(label => l.Contains($"{label.Name}=\"{label.Value}\""))).ToList();
        series.Count.ShouldBe(1, $"{metric} with {string.Join(", ", labels)} in:\n{text}");
        return double.Parse(series[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
