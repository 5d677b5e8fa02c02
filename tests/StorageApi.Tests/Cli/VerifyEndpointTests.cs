using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>`GET /v1/admin/verify` answers what `storage-api verify` prints, on the same data, and names the same problems.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class VerifyEndpointTests(PublishedService published)
{
    [Fact]
    public async Task The_endpoint_answers_the_verbs_json_line_and_the_problems_it_names()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "acme")).ExitCode.ShouldBe(0);
        var tenantKey = (await published.RunAsync(dir, env, "keys", "create", "acme")).Output.Trim();
        await using var server = await published.StartServerAsync(dir, env);
        foreach (var text in new[] { "first", "second object", "third" })
        {
            using var upload = new HttpRequestMessage(HttpMethod.Post, "/v1/objects") { Content = Uploads.Multipart("f.txt", System.Text.Encoding.UTF8.GetBytes(text)) };
            upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
            (await server.Http.SendAsync(upload)).EnsureSuccessStatusCode();
        }

        async Task<(string Line, JsonArray Problems)> EndpointAsync(string query)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/verify" + query);
            request.Headers.Add("X-API-Key", production.AdminKey);
            var response = await server.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).ShouldBe(200, body);
            var json = JsonNode.Parse(body)!.AsObject();
            var problems = json["problems"]!.AsArray();
            json.Remove("problems");
            return (json.ToJsonString(), problems);
        }

        var clean = await published.RunAsync(dir, env, "verify");
        var (cleanLine, cleanProblems) = await EndpointAsync("");
        cleanLine.ShouldBe(clean.Output.TrimEnd('\n'));
        cleanLine.ShouldContain("\"objects\":3,");
        cleanProblems.Count.ShouldBe(0);

        var blobFiles = Directory.EnumerateFiles(Path.Combine(production.DataDirectory, "blobs", "acme"), "*", SearchOption.AllDirectories).ToDictionary(File.ReadAllText);
        File.Delete(blobFiles["first"]);
        File.WriteAllText(blobFiles["second object"], "SECOND OBJECT");
        var rehashed = await published.RunAsync(dir, env, "verify", "--rehash");
        var (line, problems) = await EndpointAsync("?rehash=true");

        rehashed.ExitCode.ShouldBe(1);
        line.ShouldBe(rehashed.Output.TrimEnd('\n'));
        line.ShouldContain("\"missing\":1,\"corrupt\":1}");
        problems.Select(p => "error: " + p!.GetValue<string>()).ShouldBe(rehashed.Errors.Trim().Split('\n'));
    }
}
