using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Tests.Infrastructure;
using StorageApi.WriteHolds;

namespace StorageApi.Tests.WriteHolds;

/// <summary>Read-only mode: while writes are held every change answers 503 with Retry-After, and every read is served.</summary>
public sealed class WriteHoldTests
{
    private static Task HoldAsync(RunningService service, string? reason = "moving acme to host b", int retryAfter = 7) =>
        service.Services.GetRequiredService<WriteHoldControl>().HoldAsync(reason, retryAfter, CancellationToken.None);

    private static Task ReleaseAsync(RunningService service) =>
        service.Services.GetRequiredService<WriteHoldControl>().ReleaseAsync(CancellationToken.None);

    private static async Task<JsonElement> WriteHoldOfAsync(RunningService service) =>
        (await service.Anonymous.GetFromJsonAsync<JsonElement>("/health")).GetProperty("writeHold"); // a direct local caller gets the full report

    private static async Task ShouldBeHeldAsync(HttpResponseMessage response, string? reason = "moving acme to host b", int retryAfter = 7)
    {
        var problem = await response.ShouldBeProblemAsync(503);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(retryAfter));
        var detail = problem.GetProperty("detail").GetString()!;
        detail.ShouldStartWith("Writes are held since ");
        if (reason is not null) detail.ShouldContain($"({reason})");
        detail.ShouldContain("Reads, downloads and search keep working");
        problem.GetProperty("retryAfterSeconds").GetInt32().ShouldBe(retryAfter);
    }

    [Fact]
    public async Task A_held_instance_refuses_every_change_with_503_and_retry_after_serves_every_read_and_changes_nothing()
    {
        await using var stocked = await StockedService.StartAsync();
        var (service, acme, id) = (stocked.Service, stocked.Acme, stocked.ObjectId);
        var link = (await (await acme.Http.PostAsJsonAsync($"/v1/objects/{id}/links", new { expiresInSeconds = 600 })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("url").GetString()!;
        var keyId = (await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants/acme/keys"))[0].GetProperty("id").GetString()!;

        await HoldAsync(service);

        await ShouldBeHeldAsync(await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("new.txt", "new bytes"u8.ToArray())));
        await ShouldBeHeldAsync(await acme.Http.PatchAsync($"/v1/objects/{id}", new StringContent("""{"title":"changed"}""", Encoding.UTF8, "application/merge-patch+json")));
        await ShouldBeHeldAsync(await acme.Http.DeleteAsync($"/v1/objects/{id}"));
        await ShouldBeHeldAsync(await service.Admin.PostAsJsonAsync("/v1/admin/tenants", new { id = "globex", name = "Globex" }));
        await ShouldBeHeldAsync(await service.Admin.PostAsJsonAsync("/v1/admin/tenants/acme/keys", new { name = "second" }));
        await ShouldBeHeldAsync(await service.Admin.DeleteAsync($"/v1/admin/tenants/acme/keys/{keyId}"));
        await ShouldBeHeldAsync(await service.Admin.PutAsync("/v1/admin/tenants/acme/limits", new StringContent("""{"requestsPerMinute":10}""", Encoding.UTF8, "application/json")));

        (await acme.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await acme.Http.GetAsync($"/v1/objects/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await acme.Http.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("0123456789abcdefghij");
        (await service.Anonymous.GetStringAsync(link)).ShouldBe("0123456789abcdefghij");
        (await acme.Http.GetAsync("/v1/search?q=kept")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await acme.Http.PostAsJsonAsync($"/v1/objects/{id}/links", new { expiresInSeconds = 60 })).StatusCode.ShouldBe(HttpStatusCode.Created); // a signature changes nothing
        (await service.Admin.GetAsync("/v1/admin/tenants")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await service.Anonymous.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var hold = await WriteHoldOfAsync(service);
        hold.GetProperty("held").GetBoolean().ShouldBeTrue();
        hold.GetProperty("reason").GetString().ShouldBe("moving acme to host b");
        hold.GetProperty("since").GetDateTime().ShouldBeLessThanOrEqualTo(DateTime.UtcNow);
        hold.GetProperty("inFlightWrites").GetInt64().ShouldBe(0);
        await stocked.ShouldBeUnchangedAsync();
        (await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants")).GetArrayLength().ShouldBe(1);
        (await acme.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK, "the key was not revoked");

        await ReleaseAsync(service);

        (await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("new.txt", "new bytes"u8.ToArray()))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await acme.Http.DeleteAsync($"/v1/objects/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var released = await WriteHoldOfAsync(service);
        released.GetProperty("held").GetBoolean().ShouldBeFalse();
        released.GetProperty("since").ValueKind.ShouldBe(JsonValueKind.Null);
        released.GetProperty("reason").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_hold_changes_no_one_s_right_to_call_a_route_without_a_key_401_with_a_tenant_key_on_admin_routes_403()
    {
        await using var stocked = await StockedService.StartAsync();
        await HoldAsync(stocked.Service);

        await (await stocked.Service.Anonymous.PostAsync("/v1/objects", Uploads.Multipart("new.txt", "x"u8.ToArray()))).ShouldBeProblemAsync(401);
        await (await stocked.Acme.Http.PostAsJsonAsync("/v1/admin/tenants", new { id = "globex", name = "Globex" })).ShouldBeProblemAsync(403);
        await (await stocked.Acme.Http.PostAsync("/v1/nothing-here", null)).ShouldBeProblemAsync(404);
        (await stocked.Service.Anonymous.GetFromJsonAsync<JsonElement>("/health/ready")).TryGetProperty("writeHold", out _).ShouldBeFalse("live and ready do not read the hold");
    }

    [Fact]
    public async Task Another_instance_on_the_same_database_refuses_writes_from_the_moment_the_hold_is_set_and_accepts_them_when_it_ends()
    {
        using var shared = new TempFolder();
        await using var first = await RunningService.StartAsync(root: shared.Path);
        await using var second = await RunningService.StartAsync(root: shared.Path);
        var acme = await first.CreateTenantAsync("acme");
        var onSecond = second.CreateClient(acme.Key);
        (await onSecond.PostAsync("/v1/objects", Uploads.Multipart("a.txt", "a"u8.ToArray()))).StatusCode.ShouldBe(HttpStatusCode.Created);

        await HoldAsync(first, reason: null, retryAfter: 5);

        await ShouldBeHeldAsync(await onSecond.PostAsync("/v1/objects", Uploads.Multipart("b.txt", "b"u8.ToArray())), reason: null, retryAfter: 5);
        (await WriteHoldOfAsync(second)).GetProperty("held").GetBoolean().ShouldBeTrue();
        (await onSecond.GetFromJsonAsync<JsonElement>("/v1/objects")).GetProperty("items").GetArrayLength().ShouldBe(1);

        await ReleaseAsync(first);

        (await onSecond.PostAsync("/v1/objects", Uploads.Multipart("b.txt", "b"u8.ToArray()))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_write_in_flight_when_the_hold_is_set_completes_and_health_counts_it_until_it_has()
    {
        await using var stocked = await StockedService.StartAsync();
        var (service, acme) = (stocked.Service, stocked.Acme);
        var body = new SlowBody("first half of the bytes, "u8.ToArray(), "then the rest"u8.ToArray());
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        var upload = acme.Http.PostAsync("/v1/objects?filename=slow.txt", body); // chunked: no length is known
        await body.FirstHalfSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(async () => (await WriteHoldOfAsync(service)).GetProperty("inFlightWrites").GetInt64() == 1);

        await HoldAsync(service);

        var during = await WriteHoldOfAsync(service);
        during.GetProperty("held").GetBoolean().ShouldBeTrue();
        during.GetProperty("inFlightWrites").GetInt64().ShouldBe(1, "the upload that started before the hold is still being received");
        await ShouldBeHeldAsync(await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("late.txt", "late"u8.ToArray())));
        (await WriteHoldOfAsync(service)).GetProperty("inFlightWrites").GetInt64().ShouldBe(1, "a refused write is no longer counted");
        upload.IsCompleted.ShouldBeFalse();

        body.SendRest();
        var response = await upload.WaitAsync(TimeSpan.FromSeconds(30));

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await acme.Http.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("first half of the bytes, then the rest");
        await WaitUntilAsync(async () => (await WriteHoldOfAsync(service)).GetProperty("inFlightWrites").GetInt64() == 0);
        (await WriteHoldOfAsync(service)).GetProperty("held").GetBoolean().ShouldBeTrue();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not become true within 30 s");
            await Task.Delay(20);
        }
    }

    /// <summary>A chunked request body that sends its first part, then waits for <see cref="SendRest"/>: an upload kept in flight.</summary>
    private sealed class SlowBody(byte[] first, byte[] rest) : HttpContent
    {
        private readonly TaskCompletionSource _rest = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource FirstHalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void SendRest() => _rest.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync(); // on the wire now, not in the client's buffer
            FirstHalfSent.TrySetResult();
            await _rest.Task;
            await stream.WriteAsync(rest);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
