using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.BadInput;

/// <summary>
/// Requests the framework refuses before the API's code runs (bodies that do not bind, wrong media types, unknown
/// paths and methods, slow and oversized bodies) answer problem+json in the API's words: no .NET type, parameter or
/// server option names, no parser positions in the parser's format.
/// </summary>
public sealed class FrameworkWordsTests
{
    private static readonly string[] FrameworkWords =
    [
        "StorageApi.", "System.", "Microsoft.", ".NET", "Implicit body", "Did you mean", "LineNumber", "BytePositionInLine",
        "MinRequestBodyDataRate", "MaxRequestBodySize", "could not be converted", "parameter \"", "deserialization", "isFinalBlock",
        "Unexpected end of Stream", "component",
    ];

    public static TheoryData<string, string, string?, string?, int, string> HostileRequests => new()
    {
        { "POST", "/v1/objects/{id}/links", null, null, 400, "The request needs a body: a JSON object with expiresInSeconds (a whole number, required)." },
        { "POST", "/v1/objects/{id}/links", "", "application/json", 400, "The request needs a body: a JSON object with expiresInSeconds (a whole number, required)." },
        { "POST", "/v1/objects/{id}/links", "null", "application/json", 400, "The body must be a JSON object with expiresInSeconds (a whole number, required)." },
        { "POST", "/v1/objects/{id}/links", "[60]", "application/json", 400, "The body must be a JSON object with expiresInSeconds (a whole number, required)." },
        { "POST", "/v1/objects/{id}/links", """{"expiresInSeconds":1e3}""", "application/json", 400, "'expiresInSeconds' must be a whole number." },
        { "POST", "/v1/objects/{id}/links", """{"expiresInSeconds":60.5}""", "application/json", 400, "'expiresInSeconds' must be a whole number." },
        { "POST", "/v1/objects/{id}/links", """{"expiresInSeconds":true}""", "application/json", 400, "'expiresInSeconds' must be a whole number." },
        { "POST", "/v1/objects/{id}/links", """{"expiresInSeconds":null}""", "application/json", 400, "'expiresInSeconds' must be a whole number." },
        { "POST", "/v1/objects/{id}/links", """{"expiresInSeconds":99999999999}""", "application/json", 400, "'expiresInSeconds' must be a whole number." },
        { "POST", "/v1/objects/{id}/links", "{}", "application/json", 400, "'expiresInSeconds' is required: a whole number." },
        { "POST", "/v1/objects/{id}/links", """{"expiresInSeconds":60,"public":true}""", "application/json", 400, "Unknown field 'public'." },
        { "POST", "/v1/objects/{id}/links", """{"expiresInSeconds":60,"expiresInSeconds":7}""", "application/json", 400, "The field 'expiresInSeconds' is given more than once." },
        { "POST", "/v1/objects/{id}/links", """{"expiresInSeconds":60""", "application/json", 400, "The body is not valid JSON (line 1, byte 23)." },
        { "POST", "/v1/objects/{id}/links", """{"expiresInSeconds":60}""", "text/plain", 415, "send it with Content-Type: application/json" },
        { "POST", "/v1/admin/tenants", null, null, 400, "The request needs a body: a JSON object with id (a string, required), name (a string, required)." },
        { "POST", "/v1/admin/tenants", """{"id":null,"name":"Globex"}""", "application/json", 400, "'id' must be a string." },
        { "POST", "/v1/admin/tenants", """{"id":5,"name":"Globex"}""", "application/json", 400, "'id' must be a string." },
        { "POST", "/v1/admin/tenants", """{"id":"globex"}""", "application/json", 400, "'name' is required: a string." },
        { "POST", "/v1/admin/tenants/acme/keys", """{"name":7}""", "application/json", 400, "'name' must be a string or null." },
        { "PUT", "/v1/admin/tenants/acme/limits", "", "application/json", 400, "The request needs a body: a JSON object with requestsPerMinute (a whole number or null)," },
        { "PUT", "/v1/admin/tenants/acme/limits", """{"requestBurst":1e3}""", "application/json", 400, "'requestBurst' must be a whole number or null." },
        { "PATCH", "/v1/objects/{id}", "", "application/json", 400, "The body is empty; send a JSON object." },
        { "PATCH", "/v1/objects/{id}", "{title", "application/json", 400, "The body is not valid JSON (line 1, byte 2)." },
        { "POST", "/v1/objects?filename=a.txt&metadata=%7Bowner", "x", "text/plain", 400, "'metadata' is not valid JSON (line 1, byte 2)." },
        { "POST", "/v1/objects", "no boundary here", "multipart/form-data; boundary=b", 400, "The multipart body is malformed:" },
        { "PUT", "/v1/objects/{id}", null, null, 405, "This path does not take PUT; it takes DELETE, GET, PATCH." },
        { "GET", "/v2/objects", null, null, 404, "Nothing is served at this path; the API is described at /openapi/v1.json." },
    };

    [Theory]
    [MemberData(nameof(HostileRequests))]
    public async Task A_request_the_framework_refuses_is_answered_in_the_apis_words(string method, string path, string? body, string? contentType, int status, string detail)
    {
        await using var stocked = await StockedService.StartAsync();
        var client = path.StartsWith("/v1/admin", StringComparison.Ordinal) ? stocked.Service.Admin : stocked.Acme.Http;
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", stocked.ObjectId));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var problem = await (await client.SendAsync(request)).ShouldBeProblemAsync(status);

        problem.GetProperty("detail").GetString()!.ShouldContain(detail);
        ShouldSpeakTheApisWords(problem);
        await stocked.ShouldBeUnchangedAsync();
    }

    [Fact]
    public async Task A_body_that_arrives_too_slowly_is_408_without_naming_server_options()
    {
        await using var service = await RunningService.StartAsync(configureServices: services => services.Configure<KestrelServerOptions>(options =>
            options.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1000, gracePeriod: TimeSpan.FromSeconds(2))));
        var acme = await service.CreateTenantAsync("acme");
        var before = await StoredState.TakeAsync(service, acme);

        // A raw connection: the body promises 1000 bytes, sends one and then nothing, far below the minimum rate.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /v1/objects?filename=slow.txt HTTP/1.1\r\nHost: {service.BaseAddress.Authority}\r\nAuthorization: Bearer {acme.Key}\r\n" +
            "Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\nx"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        answer.ShouldStartWith("HTTP/1.1 408");
        answer.ShouldContain("Content-Type: application/problem+json");
        var problem = JsonDocument.Parse(answer[answer.IndexOf('{')..(answer.LastIndexOf('}') + 1)]).RootElement;
        problem.GetProperty("detail").GetString()!.ShouldContain("arrived too slowly");
        ShouldSpeakTheApisWords(problem);
        await before.ShouldBeUnchangedAsync(service, acme);
    }

    [Fact]
    public async Task A_json_body_over_the_limit_is_413_naming_the_limit_in_bytes()
    {
        await using var stocked = await StockedService.StartAsync();
        var huge = "{\"expiresInSeconds\":60,\"pad\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";

        var response = await stocked.Acme.Http.SendLargeAsync(HttpMethod.Post, $"/v1/objects/{stocked.ObjectId}/links", new StringContent(huge, Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(413);
        problem.GetProperty("detail").GetString().ShouldBe("The request body is larger than the 1048576 bytes accepted here.");
        ShouldSpeakTheApisWords(problem);
    }

    private static void ShouldSpeakTheApisWords(JsonElement problem)
    {
        var text = problem.GetProperty("title").GetString() + " " + problem.GetProperty("detail").GetString();
        foreach (var word in FrameworkWords) text.ShouldNotContain(word, Case.Insensitive);
    }
}
