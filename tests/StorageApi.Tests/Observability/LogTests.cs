using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Cli;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Observability;

/// <summary>Outside development the published server logs JSON, one line per request with its fields, and never a secret.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class LogTests(PublishedService published)
{
    [Fact]
    public async Task Production_logs_are_json_lines_with_request_fields_and_no_secrets()
    {
        using var production = new ProductionEnvironment();
        var (server, key) = await StartWithTenantAcmeAsync(production);
        await using var running = server;
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var content = new StringContent("the-file-content-itself");
        (await server.Http.PostAsync("/v1/objects?filename=a.txt", content)).EnsureSuccessStatusCode();
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_wrong-key-that-must-not-be-logged");
        (await server.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);

        // The console logger writes in the background: wait for the line of the last request.
        var lines = await WaitForLinesAsync(server, until: line => line.Contains("\"Status\":401"));

        var requests = lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("State", out var state) && state.TryGetProperty("Route", out _))
            .Select(e => e.GetProperty("State")).ToList();
        var upload = requests.Single(r => r.GetProperty("Route").GetString() == "/v1/objects" && r.GetProperty("Status").GetInt32() == 201);
        upload.GetProperty("Tenant").GetString().ShouldBe("acme");
        upload.GetProperty("Method").GetString().ShouldBe("POST");
        upload.GetProperty("RequestId").GetString().ShouldNotBeNullOrEmpty();
        upload.GetProperty("DurationMs").GetDouble().ShouldBeGreaterThan(0);
        requests.ShouldContain(r => r.GetProperty("Status").GetInt32() == 401 && r.GetProperty("Tenant").GetString() == "-");
        var output = server.Output;
        output.ShouldNotContain(production.AdminKey);
        output.ShouldNotContain(key);
        output.ShouldNotContain("sk_wrong-key-that-must-not-be-logged");
        output.ShouldNotContain("the-file-content-itself");
        output.ShouldNotContain(production.Variables["SIGNING_KEY"]!);
    }

    [Fact]
    public async Task The_trace_id_of_a_500_finds_its_request_line_and_its_error_line_with_tenant_route_and_exception()
    {
        using var production = new ProductionEnvironment();
        var (server, key) = await StartWithTenantAcmeAsync(production);
        await using var running = server;
        await production.DropObjectsTableAsync();
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var response = await server.Http.GetAsync("/v1/objects");

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.InternalServerError);
        var traceId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString()!;
        var lines = await WaitForLinesAsync(server, until: line => line.Contains("\"Status\":500"));
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var withId = entries.Where(e => e.TryGetProperty("State", out var state) && state.TryGetProperty("RequestId", out var id) && id.GetString() == traceId).ToList();
        // One error line for the failure, and it is the one with the id (no copy from the database layer without it).
        var error = entries.Where(e => e.GetProperty("LogLevel").GetString() == "Error").ShouldHaveSingleItem();
        withId.ShouldContain(error);
        error.GetProperty("Exception").GetString()!.ShouldContain("no such table: Objects");
        error.GetProperty("State").GetProperty("Tenant").GetString().ShouldBe("acme");
        error.GetProperty("State").GetProperty("Route").GetString().ShouldBe("/v1/objects");
        var request = withId.Where(e => e.GetProperty("LogLevel").GetString() == "Information").ShouldHaveSingleItem().GetProperty("State");
        request.GetProperty("Status").GetInt32().ShouldBe(500);
        request.GetProperty("Tenant").GetString().ShouldBe("acme");
        request.GetProperty("Route").GetString().ShouldBe("/v1/objects");
    }

    /// <summary>The JSON lines of the server's output, once one of them satisfies <paramref name="until"/> (bounded wait).</summary>
    private static async Task<IReadOnlyList<string>> WaitForLinesAsync(ServerProcess server, Func<string, bool> until)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{')).ToList();
            if (lines.Any(until)) return lines;
            await Task.Delay(100);
        }
        throw new TimeoutException("the server did not write the expected line: " + server.Output);
    }

    /// <summary>The published server in production on a migrated database, with tenant acme and one of its keys.</summary>
    private async Task<(ServerProcess Server, string Key)> StartWithTenantAcmeAsync(ProductionEnvironment production)
    {
        (await published.RunAsync(production.WorkingDirectory, production.Variables, "migrate")).ExitCode.ShouldBe(0);
        var server = await published.StartServerAsync(production.WorkingDirectory, production.Variables);
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", production.AdminKey);
        (await server.Http.PostAsJsonAsync("/v1/admin/tenants", new { id = "acme", name = "Acme" })).EnsureSuccessStatusCode();
        var key = (await (await server.Http.PostAsJsonAsync("/v1/admin/tenants/acme/keys", new { name = "ci" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("key").GetString()!;
        return (server, key);
    }
}
