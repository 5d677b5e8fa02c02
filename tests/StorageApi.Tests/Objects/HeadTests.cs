using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>HEAD answers like GET (RFC 9110): the same status and headers, no body; a download tool's size and range probe.</summary>
public sealed class HeadTests
{
    private static readonly string[] ContentHeaders = ["ETag", "Accept-Ranges", "Last-Modified", "Content-Disposition", "Cache-Control"];

    [Fact]
    public async Task Head_on_content_has_gets_status_and_headers_without_a_body_for_the_whole_object_and_a_range()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("hello.txt", "hello, storage")).GetProperty("id").GetString()!;

        foreach (var range in new[] { null, "bytes=0-4" })
        {
            var get = await SendAsync(acme.Http, HttpMethod.Get, $"/v1/objects/{id}/content", range);
            var head = await SendAsync(acme.Http, HttpMethod.Head, $"/v1/objects/{id}/content", range);

            head.StatusCode.ShouldBe(range is null ? HttpStatusCode.OK : HttpStatusCode.PartialContent);
            head.StatusCode.ShouldBe(get.StatusCode);
            head.Content.Headers.ContentLength.ShouldBe(range is null ? 14 : 5);
            head.Content.Headers.ContentLength.ShouldBe(get.Content.Headers.ContentLength);
            head.Content.Headers.ContentRange?.ToString().ShouldBe(range is null ? null : "bytes 0-4/14");
            foreach (var name in ContentHeaders) Header(head, name).ShouldBe(Header(get, name), name);
            Header(head, "Accept-Ranges").ShouldBe("bytes");
            (await head.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        }
        var outside = await SendAsync(acme.Http, HttpMethod.Head, $"/v1/objects/{id}/content", "bytes=100-");
        outside.StatusCode.ShouldBe(HttpStatusCode.RequestedRangeNotSatisfiable);
        outside.Content.Headers.ContentRange!.ToString().ShouldBe("bytes */14");
        (await outside.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Head_on_health_and_on_json_routes_answers_as_get_does()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");

        var live = await service.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/health/live"));
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        Header(live, "Cache-Control").ShouldBe("no-store");
        (await live.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        (await acme.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/objects?tag=x"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await acme.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/objects/obj_missing"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await service.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/objects"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Head_on_a_link_consumes_nothing_and_is_counted_like_a_get()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("hello.txt", "hello, storage")).GetProperty("id").GetString()!;
        var created = await acme.Http.PostAsJsonAsync($"/v1/objects/{id}/links", new { expiresInSeconds = 600 });
        var url = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        (await service.Admin.PutAsJsonAsync("/v1/admin/tenants/acme/limits", new { requestsPerMinute = 1, requestBurst = 3 })).EnsureSuccessStatusCode();

        var first = await SendAsync(service.Anonymous, HttpMethod.Head, url, null);
        var second = await SendAsync(service.Anonymous, HttpMethod.Head, url, null);
        var get = await SendAsync(service.Anonymous, HttpMethod.Get, url, null);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Content.Headers.ContentLength.ShouldBe(14);
        Header(first, "Accept-Ranges").ShouldBe("bytes");
        (await get.Content.ReadAsStringAsync()).ShouldBe("hello, storage");
        // Each HEAD takes one request from the anonymous bucket (3 at once, then 1 a minute), as a GET does.
        new[] { first, second, get }.Select(r => Header(r, "RateLimit-Remaining")).ShouldBe(["2", "1", "0"]);
        var refused = await SendAsync(service.Anonymous, HttpMethod.Head, url, null);
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        Header(refused, "Retry-After").ShouldNotBeNull();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string? range)
    {
        var request = new HttpRequestMessage(method, url);
        if (range is not null) request.Headers.TryAddWithoutValidation("Range", range);
        return client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;
}
