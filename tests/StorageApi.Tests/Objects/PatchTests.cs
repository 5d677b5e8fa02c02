using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>PATCH is a JSON merge patch of the metadata: named fields change, null clears, the rest stays.</summary>
public sealed class PatchTests
{
    public static StringContent Json(string json, string mediaType = "application/merge-patch+json") => new(json, Encoding.UTF8, mediaType);

    [Fact]
    public async Task A_patch_changes_the_named_fields_and_leaves_the_others()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var created = await acme.Http.UploadTextAsync("a.txt", "x", new Dictionary<string, string>
        {
            ["title"] = "old", ["description"] = "keep me", ["tags"] = "one", ["metadata"] = """{"k":"v"}""",
        });
        var id = created.GetProperty("id").GetString();

        var response = await acme.Http.PatchAsync($"/v1/objects/{id}",
            Json("""{"title":"new","tags":["two","three"],"public":true,"metadata":{"n":1}}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var patched = await acme.Http.GetFromJsonAsync<JsonElement>($"/v1/objects/{id}");
        patched.GetProperty("title").GetString().ShouldBe("new");
        patched.GetProperty("description").GetString().ShouldBe("keep me");
        patched.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["two", "three"]);
        patched.GetProperty("public").GetBoolean().ShouldBeTrue();
        patched.GetProperty("metadata").GetProperty("n").GetInt32().ShouldBe(1);
        patched.GetProperty("sha256").GetString().ShouldBe(created.GetProperty("sha256").GetString());
        patched.GetProperty("filename").GetString().ShouldBe("a.txt");
    }

    [Fact]
    public async Task Null_clears_a_field_and_expiresAt_can_be_set_and_cleared()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "x", new Dictionary<string, string> { ["title"] = "t", ["collection"] = "c" }))
            .GetProperty("id").GetString();
        var expiry = DateTime.UtcNow.AddDays(3);

        (await acme.Http.PatchAsync($"/v1/objects/{id}", Json($$"""{"title":null,"expiresAt":"{{expiry:O}}"}""", "application/json"))).EnsureSuccessStatusCode();
        var patched = await acme.Http.GetFromJsonAsync<JsonElement>($"/v1/objects/{id}");
        patched.GetProperty("title").ValueKind.ShouldBe(JsonValueKind.Null);
        patched.GetProperty("collection").GetString().ShouldBe("c");
        patched.GetProperty("expiresAt").GetDateTime().ShouldBe(expiry, TimeSpan.FromSeconds(1));

        (await acme.Http.PatchAsync($"/v1/objects/{id}", Json("""{"expiresAt":null}"""))).EnsureSuccessStatusCode();
        (await acme.Http.GetFromJsonAsync<JsonElement>($"/v1/objects/{id}")).GetProperty("expiresAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_expiry_in_the_past_is_refused()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "x")).GetProperty("id").GetString();

        var response = await acme.Http.PatchAsync($"/v1/objects/{id}", Json($$"""{"expiresAt":"{{DateTime.UtcNow.AddDays(-1):O}}"}"""));

        await response.ShouldBeProblemAsync(400);
        (await acme.Http.GetFromJsonAsync<JsonElement>($"/v1/objects/{id}")).GetProperty("expiresAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
