using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.WriteHolds;

/// <summary>`/v1/admin/write-hold` and `/v1/admin/verify`: the write-hold and verify verbs on the running instance, for the admin key only.</summary>
public sealed class WriteHoldApiTests
{
    [Theory]
    [InlineData("GET", "/v1/admin/write-hold")]
    [InlineData("PUT", "/v1/admin/write-hold")]
    [InlineData("DELETE", "/v1/admin/write-hold")]
    [InlineData("GET", "/v1/admin/verify")]
    public async Task Without_a_key_it_is_401_and_with_a_tenant_key_403(string method, string path)
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");

        await (await service.Anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).ShouldBeProblemAsync(401);
        await (await acme.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).ShouldBeProblemAsync(403);
        (await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/write-hold")).GetProperty("held").GetBoolean().ShouldBeFalse("a tenant key held nothing");
    }

    [Fact]
    public async Task Put_holds_writes_an_upload_gets_503_and_delete_lifts_the_hold_while_it_is_held()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");

        var before = await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/write-hold");
        var put = await service.Admin.PutAsJsonAsync("/v1/admin/write-hold", new { reason = "moving acme to host b", retryAfterSeconds = 9 });
        var refused = await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("a.txt", "a"u8.ToArray()));
        var status = await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/write-hold");
        var again = await service.Admin.PutAsync("/v1/admin/write-hold", null); // no body: Retry-After 5 s, no reason
        var lifted = await service.Admin.DeleteAsync("/v1/admin/write-hold");
        var accepted = await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("a.txt", "a"u8.ToArray()));
        var liftedAgain = await service.Admin.DeleteAsync("/v1/admin/write-hold");

        before.GetProperty("held").GetBoolean().ShouldBeFalse();
        before.GetProperty("since").ValueKind.ShouldBe(JsonValueKind.Null);
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var held = await put.Content.ReadFromJsonAsync<JsonElement>();
        held.GetProperty("held").GetBoolean().ShouldBeTrue();
        held.GetProperty("reason").GetString().ShouldBe("moving acme to host b");
        held.GetProperty("retryAfterSeconds").GetInt32().ShouldBe(9);
        held.GetProperty("inFlightWrites").GetInt64().ShouldBe(0);
        var problem = await refused.ShouldBeProblemAsync(503);
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(9));
        problem.GetProperty("detail").GetString()!.ShouldContain("(moving acme to host b)");
        status.GetProperty("since").GetDateTime().ShouldBe(held.GetProperty("since").GetDateTime());
        again.StatusCode.ShouldBe(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        var replaced = await again.Content.ReadFromJsonAsync<JsonElement>();
        replaced.GetProperty("since").GetDateTime().ShouldBe(held.GetProperty("since").GetDateTime(), "a hold in place keeps its time");
        replaced.GetProperty("retryAfterSeconds").GetInt32().ShouldBe(5);
        replaced.GetProperty("reason").ValueKind.ShouldBe(JsonValueKind.Null);
        lifted.StatusCode.ShouldBe(HttpStatusCode.OK, await lifted.Content.ReadAsStringAsync());
        (await lifted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("held").GetBoolean().ShouldBeFalse();
        accepted.StatusCode.ShouldBe(HttpStatusCode.Created, await accepted.Content.ReadAsStringAsync());
        liftedAgain.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await service.Anonymous.GetFromJsonAsync<JsonElement>("/health")).GetProperty("writeHold").GetProperty("held").GetBoolean().ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"retryAfterSeconds":0}""", "retryAfterSeconds")]
    [InlineData("""{"retryAfterSeconds":3601}""", "retryAfterSeconds")]
    [InlineData("""{"reason":"two\nlines"}""", "reason")]
    public async Task A_bad_hold_is_a_400_problem_and_holds_nothing(string body, string named)
    {
        await using var service = await RunningService.StartAsync();

        var response = await service.Admin.PutAsync("/v1/admin/write-hold", new StringContent(body, Encoding.UTF8, "application/json"));

        (await response.ShouldBeProblemAsync(400)).GetProperty("detail").GetString()!.ShouldContain(named);
        (await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/write-hold")).GetProperty("held").GetBoolean().ShouldBeFalse();
    }
}
