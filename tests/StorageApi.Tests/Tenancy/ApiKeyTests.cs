using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Tenancy;

/// <summary>Who may call what: no key, unknown, revoked, tenant and admin keys.</summary>
public sealed class ApiKeyTests
{
    [Fact]
    public async Task A_new_key_works_with_either_header_and_is_shown_only_once()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");

        (await acme.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var viaHeader = service.CreateClient(null);
        viaHeader.DefaultRequestHeaders.Add("X-API-Key", acme.Key);
        (await viaHeader.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var listed = await service.Admin.GetStringAsync("/v1/admin/tenants/acme/keys");
        listed.ShouldNotContain(acme.Key);
        listed.ShouldContain(acme.Key[..10]); // the prefix, so people can tell keys apart
    }

    [Fact]
    public async Task Keys_are_stored_only_as_hashes()
    {
        using var folder = new TempFolder();
        var service = await RunningService.StartAsync(root: folder.Path);
        var acme = await service.CreateTenantAsync("acme");
        var database = service.Settings.Database;
        await service.DisposeAsync();

        var text = await DatabaseText.AllOfAsync(database);
        text.ShouldContain("Tenant acme"); // the data is there to be read
        text.ShouldNotContain(acme.Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk_unknown-key-that-was-never-issued-000000000000")]
    [InlineData(RunningService.SigningKey)]
    public async Task A_missing_or_unknown_key_is_401_never_a_default_tenant(string? key)
    {
        await using var service = await RunningService.StartAsync();
        await service.CreateTenantAsync("acme");
        using var client = service.CreateClient(key);

        var response = await client.GetAsync("/v1/objects");

        var problem = await response.ShouldBeProblemAsync(401);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        problem.GetProperty("detail").GetString()!.ShouldNotContain(RunningService.SigningKey);
    }

    [Fact]
    public async Task A_revoked_key_is_401_at_once_and_other_keys_keep_working()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var otherKey = await service.CreateKeyAsync("acme");
        var keys = await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants/acme/keys");
        var firstId = keys.EnumerateArray().First().GetProperty("id").GetString();

        (await service.Admin.DeleteAsync($"/v1/admin/tenants/acme/keys/{firstId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await acme.Http.GetAsync("/v1/objects")).ShouldBeProblemAsync(401);
        using var other = service.CreateClient(otherKey);
        (await other.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await service.Admin.DeleteAsync($"/v1/admin/tenants/acme/keys/{firstId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await service.Admin.DeleteAsync("/v1/admin/tenants/acme/keys/key_nope")).ShouldBeProblemAsync(404);
    }

    [Theory]
    [InlineData("GET", "/v1/admin/tenants")]
    [InlineData("POST", "/v1/admin/tenants")]
    [InlineData("POST", "/v1/admin/tenants/acme/keys")]
    [InlineData("GET", "/v1/admin/tenants/acme/keys")]
    [InlineData("DELETE", "/v1/admin/tenants/acme/keys/key_x")]
    public async Task A_tenant_key_on_an_admin_route_is_403(string method, string path)
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");

        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = JsonContent.Create(new { id = "evil", name = "Evil" });
        await (await acme.Http.SendAsync(request)).ShouldBeProblemAsync(403);

        var tenants = await service.Admin.GetStringAsync("/v1/admin/tenants");
        tenants.ShouldNotContain("evil");
    }

    [Fact]
    public async Task The_admin_key_is_not_a_tenant()
    {
        await using var service = await RunningService.StartAsync();
        await (await service.Admin.GetAsync("/v1/objects")).ShouldBeProblemAsync(403);
    }
}
