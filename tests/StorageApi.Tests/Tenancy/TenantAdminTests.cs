using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Tenancy;

public sealed class TenantAdminTests
{
    [Fact]
    public async Task Tenants_are_created_listed_and_never_duplicated()
    {
        await using var service = await RunningService.StartAsync();
        var created = await service.Admin.PostAsJsonAsync("/v1/admin/tenants", new { id = "acme", name = "Acme Corp" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        created.Headers.Location!.ToString().ShouldBe("/v1/admin/tenants/acme");

        await (await service.Admin.PostAsJsonAsync("/v1/admin/tenants", new { id = "acme", name = "Again" })).ShouldBeProblemAsync(409);

        var list = await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants");
        list.GetArrayLength().ShouldBe(1);
        list[0].GetProperty("name").GetString().ShouldBe("Acme Corp");
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("-acme")]
    [InlineData("../etc")]
    [InlineData("a b")]
    [InlineData("")]
    public async Task Invalid_tenant_ids_are_rejected(string id)
    {
        await using var service = await RunningService.StartAsync();
        await (await service.Admin.PostAsJsonAsync("/v1/admin/tenants", new { id, name = "X" })).ShouldBeProblemAsync(400);
        (await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Ids_that_metrics_and_logs_use_for_no_tenant_are_reserved()
    {
        await using var service = await RunningService.StartAsync();

        foreach (var id in new[] { "admin", "anonymous", "none", "unknown" })
        {
            var problem = await (await service.Admin.PostAsJsonAsync("/v1/admin/tenants", new { id, name = "X" })).ShouldBeProblemAsync(400);
            problem.GetProperty("detail").GetString().ShouldBe(
                $"Tenant id '{id}' is reserved: metrics and logs use it for requests that are no tenant's (reserved: admin, anonymous, none, unknown).");
        }
        (await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants")).GetArrayLength().ShouldBe(0);
        (await service.Admin.PostAsJsonAsync("/v1/admin/tenants", new { id = "admins", name = "Only the exact words" })).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("{\"id\":\"acme\"}")]
    [InlineData("{\"id\":\"acme\",\"name\":\"A\",\"plan\":\"gold\"}")]
    [InlineData("{\"id\":\"acme\",")]
    [InlineData("[]")]
    public async Task Malformed_or_unknown_json_is_400(string json)
    {
        await using var service = await RunningService.StartAsync();
        var response = await service.Admin.PostAsync("/v1/admin/tenants", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(400);
    }

    [Fact]
    public async Task A_json_endpoint_refuses_other_content_types()
    {
        await using var service = await RunningService.StartAsync();
        await (await service.Admin.PostAsync("/v1/admin/tenants", new StringContent("id=acme", System.Text.Encoding.UTF8, "text/plain")))
            .ShouldBeProblemAsync(415);
    }

    [Fact]
    public async Task Keys_of_unknown_tenants_cannot_be_created()
    {
        await using var service = await RunningService.StartAsync();
        await (await service.Admin.PostAsJsonAsync("/v1/admin/tenants/ghost/keys", new { name = "ci" })).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_with_problems()
    {
        await using var service = await RunningService.StartAsync();
        await (await service.Anonymous.GetAsync("/v1/nothing-here")).ShouldBeProblemAsync(404);
        await (await service.Admin.PutAsync("/v1/admin/tenants", JsonContent.Create(new { }))).ShouldBeProblemAsync(405);
    }
}
