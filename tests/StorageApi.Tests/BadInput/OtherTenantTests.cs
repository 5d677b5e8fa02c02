using System.Net.Http.Json;
using System.Text;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.BadInput;

/// <summary>Another tenant's object id behaves exactly like an id that does not exist, for every verb.</summary>
public sealed class OtherTenantTests
{
    [Fact]
    public async Task Every_verb_on_another_tenants_object_is_404_and_the_owner_keeps_it()
    {
        await using var stocked = await StockedService.StartAsync();
        var globex = await stocked.Service.CreateTenantAsync("globex");
        var id = stocked.ObjectId;

        var responses = new[]
        {
            await globex.Http.GetAsync($"/v1/objects/{id}"),
            await globex.Http.GetAsync($"/v1/objects/{id}/content"),
            await globex.Http.PatchAsync($"/v1/objects/{id}", new StringContent("""{"title":"stolen"}""", Encoding.UTF8, "application/json")),
            await globex.Http.DeleteAsync($"/v1/objects/{id}"),
            await globex.Http.PostAsJsonAsync($"/v1/objects/{id}/links", new { expiresInSeconds = 60 }),
        };
        var unknown = await globex.Http.GetAsync("/v1/objects/obj_00000000000000000000000000000000");

        foreach (var response in responses) await response.ShouldBeProblemAsync(404);
        (await unknown.ShouldBeProblemAsync(404)).GetProperty("title").GetString()
            .ShouldBe((await (await globex.Http.GetAsync($"/v1/objects/{id}")).ShouldBeProblemAsync(404)).GetProperty("title").GetString());
        await stocked.ShouldBeUnchangedAsync();
        (await stocked.Acme.Http.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("0123456789abcdefghij");
    }
}
