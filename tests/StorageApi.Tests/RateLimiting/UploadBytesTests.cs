using System.Net;
using System.Net.Http.Headers;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.RateLimiting;

/// <summary>Upload bytes per minute: a declared length is charged up front, a chunked body as it is stored.</summary>
public sealed class UploadBytesTests
{
    private static HttpContent Raw(HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>Sends with "Expect: 100-continue" and waits long for the 100, so the body goes only if the server reads it.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(RunningService service, TenantClient tenant, string filename, HttpContent content)
    {
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Key);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/objects?filename={filename}") { Content = Raw(content) };
        request.Headers.ExpectContinue = true;
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_declared_length_over_what_is_left_is_refused_before_its_body_is_sent()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        await service.SetLimitsAsync("acme", new { uploadBytesPerMinute = 6000 }); // 100 bytes a second

        (await UploadAsync(service, acme, "first.bin", new ByteArrayContent(new byte[4000]))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await StoredState.TakeAsync(service, acme);
        var body = new WatchedBody(4000);
        var refused = await UploadAsync(service, acme, "second.bin", body);

        var problem = await refused.ShouldBeRateLimitedAsync("uploadBytes");
        problem.GetProperty("detail").GetString()!.ShouldContain("6000 bytes per minute");
        refused.RetryAfter().ShouldBe(20); // 2000 bytes are left; 2000 more come in 20 s
        refused.RateLimit().ShouldBe((6000, 2000, 40));
        body.WasSent.ShouldBeFalse();
        await before.ShouldBeUnchangedAsync(service, acme);

        clock.Advance(TimeSpan.FromSeconds(20));
        (await UploadAsync(service, acme, "second.bin", new ByteArrayContent(new byte[4000]))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_upload_larger_than_a_minutes_budget_waits_for_a_full_bucket_and_then_goes_through()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        await service.SetLimitsAsync("acme", new { uploadBytesPerMinute = 6000 });
        (await UploadAsync(service, acme, "small.bin", new ByteArrayContent(new byte[100]))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var early = await UploadAsync(service, acme, "big.bin", new ByteArrayContent(new byte[9000]));
        await early.ShouldBeRateLimitedAsync("uploadBytes");
        early.RetryAfter().ShouldBe(1); // until the bucket is full again

        clock.Advance(TimeSpan.FromSeconds(1));
        (await UploadAsync(service, acme, "big.bin", new ByteArrayContent(new byte[9000]))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var next = await UploadAsync(service, acme, "after.bin", new ByteArrayContent(new byte[100]));
        await next.ShouldBeRateLimitedAsync("uploadBytes");
        next.RetryAfter().ShouldBe(31); // 3000 bytes of debt and 100 to send, at 100 a second
    }

    [Fact]
    public async Task Chunked_uploads_are_charged_as_stored_and_the_next_ones_wait_off_the_debt()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        await service.SetLimitsAsync("acme", new { uploadBytesPerMinute = 6000 });

        (await UploadAsync(service, acme, "one.bin", new ChunkedBody(new byte[5000]))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await UploadAsync(service, acme, "two.bin", new ChunkedBody(new byte[5000]))).StatusCode.ShouldBe(HttpStatusCode.Created); // 1000 left: let in, ends 4000 in debt

        var chunked = await UploadAsync(service, acme, "three.bin", new ChunkedBody(new byte[10]));
        await chunked.ShouldBeRateLimitedAsync("uploadBytes");
        chunked.RetryAfter().ShouldBe(41); // the debt of 4000, then one byte, at 100 a second
        chunked.RateLimit().ShouldBe((6000, 0, 100));
        var declared = await UploadAsync(service, acme, "three.bin", new ByteArrayContent(new byte[100]));
        await declared.ShouldBeRateLimitedAsync("uploadBytes");
        declared.RetryAfter().ShouldBe(41);

        clock.Advance(TimeSpan.FromSeconds(41));
        (await UploadAsync(service, acme, "three.bin", new ByteArrayContent(new byte[100]))).StatusCode.ShouldBe(HttpStatusCode.Created);
        service.StagingFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task Bytes_of_a_refused_upload_that_were_never_received_are_given_back()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        await service.SetLimitsAsync("acme", new { uploadBytesPerMinute = 6000 });

        // Not multipart and no filename: refused (415) before the body is read, so none of its 5000 bytes is charged.
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/objects") { Content = Raw(new ByteArrayContent(new byte[5000])) };
        await (await acme.Http.SendAsync(request)).ShouldBeProblemAsync(415);

        (await UploadAsync(service, acme, "all.bin", new ByteArrayContent(new byte[6000]))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
