using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>Listing: newest first, filters, and a cursor that walks everything exactly once.</summary>
public sealed class ListTests
{
    private static async Task<List<string>> NamesAsync(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/v1/objects" + query);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("filename").GetString()!)];
    }

    [Fact]
    public async Task Objects_are_listed_newest_first_and_filtered()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        await acme.Http.UploadTextAsync("notes.txt", "n", new Dictionary<string, string> { ["collection"] = "docs", ["tags"] = "draft" });
        await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("photo.png", [0x89, 0x50], "image/png", new Dictionary<string, string> { ["title"] = "Holiday beach" }));
        await acme.Http.UploadTextAsync("plan.txt", "p", new Dictionary<string, string> { ["collection"] = "docs", ["description"] = "the beach trip" });

        (await NamesAsync(acme.Http, "")).ShouldBe(["plan.txt", "photo.png", "notes.txt"]);
        (await NamesAsync(acme.Http, "?collection=docs")).ShouldBe(["plan.txt", "notes.txt"]);
        (await NamesAsync(acme.Http, "?tag=draft")).ShouldBe(["notes.txt"]);
        (await NamesAsync(acme.Http, "?contentType=image/*")).ShouldBe(["photo.png"]);
        (await NamesAsync(acme.Http, "?contentType=text/plain")).ShouldBe(["plan.txt", "notes.txt"]);
        (await NamesAsync(acme.Http, "?q=beach")).ShouldBe(["plan.txt", "photo.png"]);
        (await NamesAsync(acme.Http, "?collection=docs&q=beach")).ShouldBe(["plan.txt"]);
    }

    [Fact]
    public async Task The_cursor_walks_every_object_exactly_once()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        for (var i = 0; i < 7; i++) await acme.Http.UploadTextAsync($"f{i}.txt", $"content {i}");

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await acme.Http.GetFromJsonAsync<JsonElement>("/v1/objects?limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var items = page.GetProperty("items").EnumerateArray().ToList();
            items.Count.ShouldBeLessThanOrEqualTo(3);
            seen.AddRange(items.Select(i => i.GetProperty("filename").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
            pages++;
        } while (cursor is not null && pages < 10);

        seen.ShouldBe(Enumerable.Range(0, 7).Reverse().Select(i => $"f{i}.txt"));
        pages.ShouldBe(3);
    }

    [Fact]
    public async Task A_tenant_lists_only_its_own_objects()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var globex = await service.CreateTenantAsync("globex");
        await acme.Http.UploadTextAsync("acme.txt", "a");
        await globex.Http.UploadTextAsync("globex.txt", "g");

        (await NamesAsync(acme.Http, "")).ShouldBe(["acme.txt"]);
        (await NamesAsync(globex.Http, "?q=acme")).ShouldBeEmpty();
    }
}
