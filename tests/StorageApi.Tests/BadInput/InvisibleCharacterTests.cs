using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.BadInput;

/// <summary>
/// Text shown to people must show what it holds: Unicode format characters (right-to-left override, isolates,
/// zero-width space) are refused wherever control characters are, and a JSON name given twice is refused.
/// </summary>
public sealed class InvisibleCharacterTests
{
    public static TheoryData<string> Disguises => ["invoice\u202Etxt.exe", "report\u2066.pdf", "in\u200Bvoice.pdf", "\uFEFFbom.txt", "tag\U000E0041.txt"];

    [Theory]
    [MemberData(nameof(Disguises))]
    public async Task A_file_name_with_an_invisible_formatting_character_is_400_raw_multipart_and_encoded(string name)
    {
        await using var stocked = await StockedService.StartAsync();
        var multipart = new ByteArrayContent(Encoding.UTF8.GetBytes(
            $"--b\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{Uri.EscapeDataString(name)}\r\n\r\nx\r\n--b--\r\n"));
        multipart.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");

        var raw = await stocked.Acme.Http.PostAsync("/v1/objects?filename=" + Uri.EscapeDataString(name), new StringContent("x"));
        var encoded = await stocked.Acme.Http.PostAsync("/v1/objects", multipart);

        (await raw.ShouldBeProblemAsync(400)).GetProperty("detail").GetString().ShouldStartWith("The file name contains an invisible formatting character (U+");
        (await encoded.ShouldBeProblemAsync(400)).GetProperty("detail").GetString().ShouldStartWith("The file name contains an invisible formatting character (U+");
        await stocked.ShouldBeUnchangedAsync();
    }

    public static TheoryData<string, string, string> DisguisedFields => new()
    {
        { "title", "Q3 \u202Ereport", "'title' contains an invisible formatting character (U+202E)" },
        { "description", "see\u2067 below", "'description' contains an invisible formatting character (U+2067)" },
        { "tags", "ok,in\u200Bvoice", "A tag contains an invisible formatting character (U+200B)" },
        { "metadata", "{\"own\u202Eer\":\"x\"}", "A 'metadata' key contains an invisible formatting character (U+202E)" },
        { "metadata", "{\"owner\":\"al\u2066ice\"}", "'metadata.owner' contains an invisible formatting character (U+2066)" },
        { "metadata", "{\"a\":1,\"a\":2}", "'metadata' has the key 'a' more than once" },
        { "collection", "in\u200Bvoices", "collection" },
    };

    [Theory]
    [MemberData(nameof(DisguisedFields))]
    public async Task An_upload_field_with_a_disguise_is_400_and_stores_nothing(string field, string value, string detail)
    {
        await using var stocked = await StockedService.StartAsync();

        var response = await stocked.Acme.Http.PostAsync("/v1/objects",
            Uploads.Multipart("new.txt", "x"u8.ToArray(), "text/plain", new Dictionary<string, string> { [field] = value }));

        (await response.ShouldBeProblemAsync(400)).GetProperty("detail").GetString()!.ShouldContain(detail);
        await stocked.ShouldBeUnchangedAsync();
    }

    [Theory]
    [InlineData("""{"title":"Q3 \u202Ereport"}""", "'title' contains an invisible formatting character (U+202E)")]
    [InlineData("""{"tags":["ok","in\u200Bvoice"]}""", "A tag contains an invisible formatting character (U+200B)")]
    [InlineData("""{"metadata":{"own\u202Eer":"x"}}""", "A 'metadata' key contains an invisible formatting character (U+202E)")]
    [InlineData("""{"metadata":{"a":1,"a":2}}""", "'metadata' has the key 'a' more than once")]
    [InlineData("""{"title":"one","title":"two"}""", "The field 'title' is given more than once")]
    public async Task A_patch_with_a_disguise_or_a_repeated_name_is_400_and_changes_nothing(string body, string detail)
    {
        await using var stocked = await StockedService.StartAsync();

        var response = await stocked.Acme.Http.PatchAsync($"/v1/objects/{stocked.ObjectId}", new StringContent(body, Encoding.UTF8, "application/json"));

        (await response.ShouldBeProblemAsync(400)).GetProperty("detail").GetString()!.ShouldContain(detail);
        await stocked.ShouldBeUnchangedAsync();
    }

    [Fact]
    public async Task Tenant_and_key_names_with_a_disguise_are_400()
    {
        await using var service = await RunningService.StartAsync();
        await service.CreateTenantAsync("acme");

        var tenant = await service.Admin.PostAsJsonAsync("/v1/admin/tenants", new { id = "globex", name = "Glo\u202Ebex" });
        var key = await service.Admin.PostAsJsonAsync("/v1/admin/tenants/acme/keys", new { name = "ci\u200B" });

        (await tenant.ShouldBeProblemAsync(400)).GetProperty("detail").GetString()!.ShouldStartWith("The tenant name contains an invisible formatting character (U+202E)");
        (await key.ShouldBeProblemAsync(400)).GetProperty("detail").GetString()!.ShouldStartWith("The key name contains an invisible formatting character (U+200B)");
        (await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants")).EnumerateArray().Select(t => t.GetProperty("id").GetString()).ShouldBe(["acme"]);
        (await service.Admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants/acme/keys")).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Joiners_that_scripts_and_emoji_need_are_kept()
    {
        await using var stocked = await StockedService.StartAsync();
        const string persian = "می\u200Cخواهم.txt";   // the zero-width non-joiner keeps two letters apart
        const string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467 photos"; // emoji joined by zero-width joiners

        var created = await stocked.Acme.Http.PostAsync("/v1/objects",
            Uploads.Multipart(persian, "x"u8.ToArray(), "text/plain", new Dictionary<string, string> { ["title"] = family }));

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var stored = await created.Content.ReadFromJsonAsync<JsonElement>();
        stored.GetProperty("filename").GetString().ShouldBe(persian);
        stored.GetProperty("title").GetString().ShouldBe(family);
    }
}
