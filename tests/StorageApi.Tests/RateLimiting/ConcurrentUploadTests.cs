using System.Net;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.RateLimiting;

/// <summary>Uploads at a time per tenant: one over the limit is refused at once, never queued.</summary>
public sealed class ConcurrentUploadTests
{
    /// <summary>Starts an upload that stays open until its body is finished; returns once the server is storing it.</summary>
    private static async Task<(HeldOpenBody Body, Task<HttpResponseMessage> Response)> StartHeldUploadAsync(RunningService service, TenantClient tenant, int alreadyStaging)
    {
        var body = new HeldOpenBody();
        var response = tenant.Http.PostAsync("/v1/objects?filename=slow.bin", body);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (service.StagingFiles().Count <= alreadyStaging)
        {
            if (response.IsCompleted) throw new InvalidOperationException($"the held upload ended early: {(int)(await response).StatusCode}");
            await Task.Delay(20, deadline.Token);
        }
        return (body, response);
    }

    [Fact]
    public async Task An_upload_over_the_tenants_limit_is_429_at_once_while_others_go_on()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var globex = await service.CreateTenantAsync("globex");
        await service.SetLimitsAsync("acme", new { concurrentUploads = 2 });

        var first = await StartHeldUploadAsync(service, acme, alreadyStaging: 0);
        var second = await StartHeldUploadAsync(service, acme, alreadyStaging: 1);
        using var quickly = new CancellationTokenSource(TimeSpan.FromSeconds(10)); // queued, it would wait for the held uploads
        var refused = await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("third.txt", "no room"u8.ToArray()), quickly.Token);
        var otherTenant = await globex.Http.PostAsync("/v1/objects", Uploads.Multipart("globex.txt", "served"u8.ToArray()), quickly.Token);
        var reading = await acme.Http.GetAsync("/v1/objects", quickly.Token);

        var problem = await refused.ShouldBeRateLimitedAsync("concurrentUploads");
        problem.GetProperty("detail").GetString()!.ShouldContain("2 uploads in progress");
        refused.RetryAfter().ShouldBe(1);
        refused.RateLimit().ShouldBe((2, 0, 1));
        otherTenant.StatusCode.ShouldBe(HttpStatusCode.Created);
        reading.StatusCode.ShouldBe(HttpStatusCode.OK); // only uploads are held back

        first.Body.Finish();
        second.Body.Finish();
        (await first.Response).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await second.Response).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("third.txt", "room now"u8.ToArray()))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_failed_upload_frees_its_slot()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["MAX_UPLOAD_BYTES"] = "100" });
        var acme = await service.CreateTenantAsync("acme");
        await service.SetLimitsAsync("acme", new { concurrentUploads = 1 });

        for (var i = 0; i < 3; i++)
            await (await acme.Http.PostAsync("/v1/objects?filename=big.bin", new ChunkedBody(new byte[5000]))).ShouldBeProblemAsync(413);

        (await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("small.txt", "fits"u8.ToArray()))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
