using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>
/// Uploads of many megabytes, so they cross the store's 128 KiB write buffers, its 8 MiB writeback steps and the multipart
/// reader's 64 KiB buffer at odd offsets: every byte arrives once, in order, and the limit still holds midway.
/// </summary>
public sealed class LargeUploadTests
{
    private const long OddLength = 20 * 1024 * 1024 + 12_345;

    [Fact]
    public async Task A_raw_upload_of_many_megabytes_sent_chunked_arrives_whole()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        using var body = new StreamContent(new GeneratedStream(OddLength, seed: 7)); // no length: sent chunked
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var response = await acme.Http.PostAsync("/v1/objects?filename=big.bin", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        created.GetProperty("size").GetInt64().ShouldBe(OddLength);
        created.GetProperty("sha256").GetString().ShouldBe(GeneratedStream.Sha256Of(OddLength, seed: 7));
        await ShouldReadBackAsync(acme.Http, created, GeneratedStream.Sha256Of(OddLength, seed: 7));
        service.BlobFiles().Count.ShouldBe(1);
        service.StagingFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_multipart_file_full_of_boundary_lookalikes_at_buffer_edges_arrives_whole_with_the_field_after_it()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        const string boundary = "edge-boundary-0123456789";
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 77);
        // A line break and all but the last byte of the delimiter, straddling each 64 KiB edge the reader may buffer up to.
        var lookalike = Encoding.ASCII.GetBytes("\r\n--" + boundary[..^1]);
        for (var edge = 64 * 1024; edge + lookalike.Length < bytes.Length; edge += 64 * 1024)
        {
            var at = edge - lookalike.Length / 2;
            lookalike.CopyTo(bytes, at);
            bytes[at + lookalike.Length] = (byte)'X'; // a random '9' here would complete the delimiter for real
        }
        var form = new MultipartFormDataContent(boundary);
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "edges.bin");
        form.Add(new StringContent("after the file"), "title");

        var response = await acme.Http.PostAsync("/v1/objects", new ChunkedBody(await form.ReadAsByteArrayAsync()) { Headers = { ContentType = form.Headers.ContentType } });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        created.GetProperty("size").GetInt64().ShouldBe(bytes.Length);
        created.GetProperty("title").GetString().ShouldBe("after the file");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        created.GetProperty("sha256").GetString().ShouldBe(sha256);
        await ShouldReadBackAsync(acme.Http, created, sha256);
        service.StagingFiles().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_that_passes_a_limit_of_megabytes_in_the_middle_of_a_buffer_is_413_and_leaves_no_file(bool multipart)
    {
        const long limit = 2 * 1024 * 1024 + 100; // 100 bytes into a 128 KiB write buffer
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["MAX_UPLOAD_BYTES"] = limit.ToString() });
        var acme = await service.CreateTenantAsync("acme");
        var bytes = RandomNumberGenerator.GetBytes((int)limit + 1);
        HttpContent content;
        if (multipart)
        {
            var form = Uploads.Multipart("big.bin", bytes, "application/octet-stream");
            content = new ChunkedBody(await form.ReadAsByteArrayAsync()) { Headers = { ContentType = form.Headers.ContentType } };
        }
        else
        {
            content = new ChunkedBody(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };
        }

        var response = await acme.Http.PostAsync(multipart ? "/v1/objects" : "/v1/objects?filename=big.bin", content);

        var problem = await response.ShouldBeProblemAsync(413);
        problem.GetProperty("detail").GetString()!.ShouldContain(limit.ToString());
        service.BlobFiles().ShouldBeEmpty();
        service.StagingFiles().ShouldBeEmpty();
    }

    private static async Task ShouldReadBackAsync(HttpClient http, JsonElement created, string sha256)
    {
        await using var content = await http.GetStreamAsync(created.GetProperty("contentUrl").GetString());
        Convert.ToHexStringLower(await SHA256.HashDataAsync(content)).ShouldBe(sha256);
    }
}
