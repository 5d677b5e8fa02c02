using System.Net;
using System.Net.Http.Headers;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.BadInput;

/// <summary>The size limit holds while streaming, with or without Content-Length; nothing half-written stays behind.</summary>
public sealed class UploadLimitTests
{
    private static readonly Dictionary<string, string?> SmallLimit = new() { ["MAX_UPLOAD_BYTES"] = "4096" };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_raw_body_over_the_limit_is_413_and_leaves_no_file(bool chunked)
    {
        await using var stocked = await StockedService.StartAsync(SmallLimit);
        var bytes = new byte[20_000];
        HttpContent content = chunked ? new ChunkedBody(bytes) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var response = await stocked.Acme.Http.PostAsync("/v1/objects?filename=big.bin", content);

        var problem = await response.ShouldBeProblemAsync(413);
        problem.GetProperty("detail").GetString()!.ShouldContain("4096");
        await stocked.ShouldBeUnchangedAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_multipart_file_over_the_limit_is_413_and_leaves_no_file(bool chunked)
    {
        await using var stocked = await StockedService.StartAsync(SmallLimit);
        var form = Uploads.Multipart("big.bin", new byte[20_000], "application/octet-stream");
        HttpContent content = chunked ? new ChunkedBody(await form.ReadAsByteArrayAsync()) : form;
        if (chunked) content.Headers.ContentType = form.Headers.ContentType;

        var response = await stocked.Acme.Http.PostAsync("/v1/objects", content);

        await response.ShouldBeProblemAsync(413);
        await stocked.ShouldBeUnchangedAsync();
    }

    [Fact]
    public async Task A_body_exactly_at_the_limit_is_stored()
    {
        await using var stocked = await StockedService.StartAsync(SmallLimit);

        var response = await stocked.Acme.Http.PostAsync("/v1/objects", Uploads.Multipart("edge.bin", new byte[4096], "application/octet-stream"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        stocked.Service.StagingFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_declared_length_far_over_the_limit_is_refused_before_reading()
    {
        await using var stocked = await StockedService.StartAsync(SmallLimit);
        var content = new ByteArrayContent(new byte[3 * 1024 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var response = await stocked.Acme.Http.SendLargeAsync(HttpMethod.Post, "/v1/objects?filename=huge.bin", content);

        (await response.ShouldBeProblemAsync(413)).GetProperty("detail").GetString()!.ShouldContain("3145728");
        await stocked.ShouldBeUnchangedAsync();
    }
}
