using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>Downloads: ETag, conditional requests, ranges, safe headers and public objects.</summary>
public sealed class ContentTests
{
    private const string Text = "0123456789abcdefghij";

    private static async Task<(RunningService Service, TenantClient Acme, string Id, string Sha)> StartWithObjectAsync(bool isPublic = false)
    {
        var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var created = await acme.Http.UploadTextAsync("digits.txt", Text, new Dictionary<string, string> { ["public"] = isPublic ? "true" : "false" });
        return (service, acme, created.GetProperty("id").GetString()!, created.GetProperty("sha256").GetString()!);
    }

    [Fact]
    public async Task Content_comes_with_etag_type_disposition_and_safety_headers()
    {
        var (service, acme, id, sha) = await StartWithObjectAsync();
        await using var _ = service;

        var response = await acme.Http.GetAsync($"/v1/objects/{id}/content");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe(Text);
        response.Headers.ETag!.Tag.ShouldBe($"\"{sha}\"");
        response.Headers.AcceptRanges.ShouldContain("bytes");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe("digits.txt");
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("sandbox");
        response.Headers.CacheControl!.Private.ShouldBeTrue();
    }

    [Fact]
    public async Task A_matching_if_none_match_is_304_without_a_body()
    {
        var (service, acme, id, sha) = await StartWithObjectAsync();
        await using var _ = service;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/objects/{id}/content");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{sha}\""));

        var response = await acme.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("bytes=0-3", "0123", "bytes 0-3/20")]
    [InlineData("bytes=10-", "abcdefghij", "bytes 10-19/20")]
    [InlineData("bytes=-5", "fghij", "bytes 15-19/20")]
    [InlineData("bytes=15-100", "fghij", "bytes 15-19/20")]
    public async Task A_range_is_206_with_exactly_those_bytes(string range, string expected, string contentRange)
    {
        var (service, acme, id, _) = await StartWithObjectAsync();
        await using var __ = service;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/objects/{id}/content");
        request.Headers.TryAddWithoutValidation("Range", range);

        var response = await acme.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        (await response.Content.ReadAsStringAsync()).ShouldBe(expected);
        response.Content.Headers.ContentRange!.ToString().ShouldBe(contentRange);
    }

    [Fact]
    public async Task A_public_object_needs_no_key_and_a_private_one_asks_for_one()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var globex = await service.CreateTenantAsync("globex");
        var open = (await acme.Http.UploadTextAsync("open.txt", "for everyone", new Dictionary<string, string> { ["public"] = "true" })).GetProperty("id").GetString();
        var closed = (await acme.Http.UploadTextAsync("closed.txt", "acme only")).GetProperty("id").GetString();

        var anonymous = await service.Anonymous.GetAsync($"/v1/objects/{open}/content");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.Content.ReadAsStringAsync()).ShouldBe("for everyone");
        anonymous.Headers.CacheControl!.Public.ShouldBeTrue();
        (await globex.Http.GetStringAsync($"/v1/objects/{open}/content")).ShouldBe("for everyone");

        await (await service.Anonymous.GetAsync($"/v1/objects/{closed}/content")).ShouldBeProblemAsync(401);
        await (await globex.Http.GetAsync($"/v1/objects/{closed}/content")).ShouldBeProblemAsync(404);
        await (await service.Anonymous.GetAsync($"/v1/objects/{open}")).ShouldBeProblemAsync(401); // metadata always needs a key
    }

    [Fact]
    public async Task A_filename_with_quotes_and_unicode_is_encoded_safely_for_download()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var upload = await acme.Http.PostAsync("/v1/objects?filename=" + Uri.EscapeDataString("naïve \"quote\"; x.txt"), new StringContent("x"));
        var id = (await upload.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();

        var response = await acme.Http.GetAsync($"/v1/objects/{id}/content");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var disposition = response.Content.Headers.GetValues("Content-Disposition").Single();
        disposition.ShouldStartWith("attachment;");
        disposition.ShouldContain("filename*=UTF-8''");
        disposition.Any(c => c > 127 || char.IsControl(c)).ShouldBeFalse(disposition);
        response.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe("naïve \"quote\"; x.txt");
        Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).ShouldBe("x");
    }
}
