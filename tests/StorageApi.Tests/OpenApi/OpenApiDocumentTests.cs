using System.Text.Json;
using StorageApi.Health;
using StorageApi.Objects;
using StorageApi.Search;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.OpenApi;

/// <summary>What a client generator needs from /openapi/v1.json, point by point, read from a real server.</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private RunningService _service = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _service = await RunningService.StartAsync();
        _document = JsonDocument.Parse(await _service.Anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private JsonElement Operation(string method, string path) => _document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private JsonElement Schema(string name) => _document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static IEnumerable<string> Names(JsonElement operation, string location) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == location).Select(p => p.GetProperty("name").GetString()!)
            : [];

    private IEnumerable<(string Method, string Path, JsonElement Operation)> Operations() =>
        _document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (o.Name, p.Name, o.Value)));

    [Fact]
    public void Info_names_the_service_and_its_version_tags_are_described_and_operation_ids_unique()
    {
        _document.GetProperty("openapi").GetString().ShouldStartWith("3.1");
        _document.GetProperty("info").GetProperty("title").GetString().ShouldBe("Storage API");
        _document.GetProperty("info").GetProperty("version").GetString().ShouldBe(BuildInfo.Current.Version);
        _document.GetProperty("servers")[0].GetProperty("url").GetString().ShouldBe(_service.BaseAddress.ToString().TrimEnd('/'));
        _document.GetProperty("tags").EnumerateArray().ShouldAllBe(t => t.GetProperty("description").GetString()!.Length > 0);
        var ids = Operations().Select(o => o.Operation.GetProperty("operationId").GetString()).ToList();
        ids.ShouldBeUnique();
    }

    [Fact]
    public void Keys_are_security_schemes_required_where_needed_optional_for_content_and_absent_for_probes_and_links()
    {
        var schemes = _document.GetProperty("components").GetProperty("securitySchemes");
        schemes.GetProperty("bearer").GetProperty("scheme").GetString().ShouldBe("bearer");
        schemes.GetProperty("apiKey").GetProperty("name").GetString().ShouldBe("X-API-Key");
        string Security(string method, string path) => JsonSerializer.Serialize(Operation(method, path).GetProperty("security"));

        Security("get", "/v1/objects").ShouldBe("""[{"bearer":[]},{"apiKey":[]}]""");
        Security("post", "/v1/admin/tenants").ShouldBe("""[{"bearer":[]},{"apiKey":[]}]""");
        Security("get", "/v1/objects/{id}/content").ShouldBe("""[{"bearer":[]},{"apiKey":[]},{}]""");
        Security("get", "/health/live").ShouldBe("[{}]");
        Security("get", "/v1/links/{token}").ShouldBe("[{}]");
    }

    [Fact]
    public void Upload_takes_named_multipart_parts_or_a_raw_body_and_answers_201_with_the_object_and_its_location()
    {
        var upload = Operation("post", "/v1/objects");
        var multipart = upload.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        multipart.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(["file", .. ObjectFields.Names]);
        multipart.GetProperty("properties").GetProperty("file").GetProperty("format").GetString().ShouldBe("binary");
        multipart.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldBe(["file"]);
        upload.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/octet-stream", out _).ShouldBeTrue();
        Names(upload, "query").ShouldBe(["filename", .. ObjectFields.Names]);

        var created = upload.GetProperty("responses").GetProperty("201");
        created.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/ObjectView");
        created.GetProperty("headers").TryGetProperty("Location", out _).ShouldBeTrue();
    }

    [Fact]
    public void List_search_and_similar_list_the_query_parameters_their_parsers_know()
    {
        Names(Operation("get", "/v1/objects"), "query").Order().ShouldBe(ObjectListQuery.Parameters.Order());
        Names(Operation("get", "/v1/search"), "query").Order().ShouldBe(SearchQuery.Parameters.Order());
        Names(Operation("get", "/v1/objects/{id}/similar"), "query").Order().ShouldBe(SearchApi.SimilarParameters.Order());

        var limit = Operation("get", "/v1/objects").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "limit").GetProperty("schema");
        limit.GetProperty("type").GetString().ShouldBe("integer");
        limit.GetProperty("maximum").GetInt32().ShouldBe(ObjectListQuery.MaxLimit);
        Operation("get", "/v1/search").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "q")
            .GetProperty("required").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void Content_answers_binary_200_and_206_with_download_headers_and_416()
    {
        foreach (var path in new[] { "/v1/objects/{id}/content", "/v1/links/{token}" })
        {
            var responses = Operation("get", path).GetProperty("responses");
            foreach (var status in new[] { "200", "206" })
            {
                var response = responses.GetProperty(status);
                response.GetProperty("content").GetProperty("application/octet-stream").GetProperty("schema").GetProperty("format").GetString().ShouldBe("binary");
                var headers = response.GetProperty("headers").EnumerateObject().Select(h => h.Name).ToList();
                headers.ShouldContain("ETag");
                headers.ShouldContain("Accept-Ranges");
                headers.ShouldContain("Content-Length");
                if (status == "206") headers.ShouldContain("Content-Range");
            }
            Names(Operation("get", path), "header").ShouldBe(["Range", "If-None-Match", "If-Range"]);
        }
        Operation("get", "/v1/objects/{id}/content").GetProperty("responses").GetProperty("416").GetProperty("headers").TryGetProperty("Content-Range", out _).ShouldBeTrue();
    }

    [Fact]
    public void Patch_takes_a_typed_merge_patch_and_answers_the_object_and_links_are_typed()
    {
        var patch = Operation("patch", "/v1/objects/{id}");
        patch.GetProperty("requestBody").GetProperty("content").GetProperty("application/merge-patch+json").GetProperty("schema")
            .GetProperty("$ref").GetString().ShouldBe("#/components/schemas/ObjectPatch");
        Schema("ObjectPatch").GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(ObjectPatch.Fields);
        patch.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("$ref").GetString().ShouldBe("#/components/schemas/ObjectView");
        Operation("post", "/v1/objects/{id}/links").GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/LinkView");
    }

    [Fact]
    public void No_schema_is_empty_metadata_is_an_object_of_plain_values_and_integers_are_integers()
    {
        var metadata = Schema("ObjectMetadata");
        metadata.GetProperty("type").GetString().ShouldBe("object");
        metadata.GetProperty("additionalProperties").GetProperty("type").EnumerateArray().Select(t => t.GetString()).Order()
            .ShouldBe(["boolean", "null", "number", "string"]);
        Schema("ObjectView").GetProperty("properties").GetProperty("size").GetProperty("type").GetString().ShouldBe("integer");

        foreach (var schema in Descendants(_document.GetProperty("components").GetProperty("schemas")))
        {
            schema.EnumerateObject().Any().ShouldBeTrue("an empty schema says nothing");
            if (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array)
            {
                var types = type.EnumerateArray().Select(t => t.GetString()).ToList();
                // A C# number readable from a string was typed ["integer","string"] (with a format); metadata values may be either.
                var numeric = schema.TryGetProperty("format", out var format) && format.GetString() is "int32" or "int64" or "double" or "float";
                (types.Contains("string") && (types.Contains("integer") || numeric)).ShouldBeFalse(schema.GetRawText());
            }
        }
    }

    [Fact]
    public void Rate_limited_operations_document_429_with_retry_after_and_ratelimit_headers()
    {
        foreach (var (method, path) in new[] { ("get", "/v1/objects"), ("post", "/v1/objects"), ("get", "/v1/search"), ("get", "/v1/links/{token}") })
        {
            var responses = Operation(method, path).GetProperty("responses");
            var refused = responses.GetProperty("429");
            refused.GetProperty("headers").EnumerateObject().Select(h => h.Name).Order()
                .ShouldBe(["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After"]);
            refused.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()
                .ShouldBe("#/components/schemas/RateLimitProblem");
            var success = responses.EnumerateObject().First(r => r.Name.StartsWith('2')).Value;
            success.GetProperty("headers").TryGetProperty("RateLimit-Remaining", out _).ShouldBeTrue($"{method} {path}");
        }
        Operation("get", "/v1/admin/tenants").GetProperty("responses").TryGetProperty("429", out _).ShouldBeFalse(); // the admin key is never limited
    }

    [Fact]
    public void Operations_that_change_data_document_the_write_hold_s_503_with_retry_after_and_reads_do_not()
    {
        foreach (var (method, path) in new[] { ("post", "/v1/objects"), ("patch", "/v1/objects/{id}"), ("delete", "/v1/objects/{id}"), ("post", "/v1/admin/tenants"), ("put", "/v1/admin/tenants/{id}/limits") })
        {
            var held = Operation(method, path).GetProperty("responses").GetProperty("503");
            held.GetProperty("headers").TryGetProperty("Retry-After", out _).ShouldBeTrue($"{method} {path}");
            held.GetProperty("content").TryGetProperty("application/problem+json", out _).ShouldBeTrue($"{method} {path}");
        }
        Operation("get", "/v1/objects").GetProperty("responses").TryGetProperty("503", out _).ShouldBeFalse();
        Operation("post", "/v1/objects/{id}/links").GetProperty("responses").TryGetProperty("503", out _).ShouldBeFalse(); // a signature changes nothing
    }

    [Fact]
    public void Every_get_is_listed_with_its_head_whose_responses_have_no_body()
    {
        foreach (var (method, path, operation) in Operations().Where(o => o.Method == "get" && o.Path != "/metrics"))
        {
            var head = Operation("head", path);
            head.GetProperty("operationId").GetString().ShouldBe(operation.GetProperty("operationId").GetString() + "Headers");
            head.GetProperty("responses").EnumerateObject().Where(r => r.Value.TryGetProperty("content", out _)).ShouldBeEmpty(path);
        }
    }

    private static IEnumerable<JsonElement> Descendants(JsonElement schemas)
    {
        var pending = new Stack<JsonElement>(schemas.EnumerateObject().Select(s => s.Value));
        while (pending.TryPop(out var schema))
        {
            yield return schema;
            foreach (var name in new[] { "properties" })
                if (schema.TryGetProperty(name, out var children)) foreach (var child in children.EnumerateObject()) pending.Push(child.Value);
            foreach (var name in new[] { "items", "additionalProperties" })
                if (schema.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object) pending.Push(child);
            foreach (var name in new[] { "oneOf", "anyOf", "allOf" })
                if (schema.TryGetProperty(name, out var list)) foreach (var child in list.EnumerateArray()) pending.Push(child);
        }
    }
}
