using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Tenancy;

/// <summary>With TENANT_ID set, an instance serves that tenant only, even if the database knows others.</summary>
public sealed class DedicatedInstanceTests
{
    [Fact]
    public async Task Another_tenants_key_objects_and_links_are_unknown_on_a_dedicated_instance()
    {
        using var folder = new TempFolder();
        string acmeKey, globexKey, globexObject, globexPublic, globexLink;
        await using (var shared = await RunningService.StartAsync(root: folder.Path))
        {
            var acme = await shared.CreateTenantAsync("acme");
            var globex = await shared.CreateTenantAsync("globex");
            (acmeKey, globexKey) = (acme.Key, globex.Key);
            globexObject = (await globex.Http.UploadTextAsync("secret.txt", "globex only")).GetProperty("id").GetString()!;
            globexPublic = (await globex.Http.UploadTextAsync("open.txt", "public", new Dictionary<string, string> { ["public"] = "true" })).GetProperty("id").GetString()!;
            var link = await globex.Http.PostAsJsonAsync($"/v1/objects/{globexObject}/links", new { expiresInSeconds = 600 });
            globexLink = new Uri((await link.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!).PathAndQuery;
        }

        await using var dedicated = await RunningService.StartAsync(new Dictionary<string, string?> { [KnownVariables.TenantId] = "acme" }, root: folder.Path);
        using var acmeClient = dedicated.CreateClient(acmeKey);
        using var globexClient = dedicated.CreateClient(globexKey);

        (await acmeClient.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await globexClient.GetAsync("/v1/objects")).ShouldBeProblemAsync(401);
        await (await acmeClient.GetAsync($"/v1/objects/{globexObject}")).ShouldBeProblemAsync(404);
        await (await dedicated.Anonymous.GetAsync($"/v1/objects/{globexPublic}/content")).ShouldBeProblemAsync(401);
        await (await dedicated.Anonymous.GetAsync(globexLink)).ShouldBeProblemAsync(404);

        var tenants = await dedicated.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants");
        tenants.EnumerateArray().Select(t => t.GetProperty("id").GetString()).ShouldBe(["acme"]);
        await (await dedicated.Admin.PostAsJsonAsync("/v1/admin/tenants", new { id = "initech", name = "Initech" })).ShouldBeProblemAsync(400);
        await (await dedicated.Admin.PostAsJsonAsync("/v1/admin/tenants/globex/keys", new { name = "x" })).ShouldBeProblemAsync(404);
    }
}
