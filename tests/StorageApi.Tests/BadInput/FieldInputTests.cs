using System.Text;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.BadInput;

/// <summary>Bad metadata fields on upload and bad PATCH bodies are 400 (or 415) and change nothing.</summary>
public sealed class FieldInputTests
{
    public static TheoryData<string, string, string> BadFields => new()
    {
        { "metadata", "{not json", "metadata" },
        { "metadata", "[1,2]", "metadata" },
        { "metadata", """{"nested":{"a":1}}""", "metadata" },
        { "colour", "blue", "Unknown field 'colour'" },
        { "ttlHours", "forever", "ttlHours" },
        { "ttlHours", "0", "ttlHours" },
        { "public", "maybe", "public" },
        { "collection", "../up", "collection" },
        { "tags", "ok,bad\u0001tag", "tag" },
        { "title", new string('t', 10_000), "title" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task A_bad_upload_field_is_400_and_stores_nothing(string field, string value, string detail)
    {
        await using var stocked = await StockedService.StartAsync();

        var response = await stocked.Acme.Http.PostAsync("/v1/objects",
            Uploads.Multipart("new.txt", "x"u8.ToArray(), "text/plain", new Dictionary<string, string> { [field] = value }));

        (await response.ShouldBeProblemAsync(400)).GetProperty("detail").GetString()!.ShouldContain(detail);
        await stocked.ShouldBeUnchangedAsync();
    }

    [Fact]
    public async Task A_field_given_twice_is_400()
    {
        await using var stocked = await StockedService.StartAsync();
        var form = Uploads.Multipart("new.txt", "x"u8.ToArray(), "text/plain", new Dictionary<string, string> { ["title"] = "one" });
        form.Add(new StringContent("two"), "title");

        await (await stocked.Acme.Http.PostAsync("/v1/objects", form)).ShouldBeProblemAsync(400);
        await (await stocked.Acme.Http.PostAsync("/v1/objects?filename=a.txt&title=1&title=2", new StringContent("x"))).ShouldBeProblemAsync(400);
        await (await stocked.Acme.Http.PostAsync("/v1/objects?filename=a.txt&colour=red", new StringContent("x"))).ShouldBeProblemAsync(400);
        await stocked.ShouldBeUnchangedAsync();
    }

    public static TheoryData<string, string, int> BadPatches => new()
    {
        { """{"title": "x",""", "application/json", 400 },
        { """{"colour":"blue"}""", "application/merge-patch+json", 400 },
        { """{"tags":"not-a-list"}""", "application/json", 400 },
        { """{"public":"yes"}""", "application/json", 400 },
        { """{"metadata":"text"}""", "application/json", 400 },
        { """{"expiresAt":"tomorrow"}""", "application/json", 400 },
        { """["title"]""", "application/json", 400 },
        { """title=x""", "application/x-www-form-urlencoded", 415 },
        { """{"title":"x"}""", "text/plain", 415 },
    };

    [Theory]
    [MemberData(nameof(BadPatches))]
    public async Task A_bad_patch_is_refused_and_changes_nothing(string body, string contentType, int status)
    {
        await using var stocked = await StockedService.StartAsync();

        var response = await stocked.Acme.Http.PatchAsync($"/v1/objects/{stocked.ObjectId}", new StringContent(body, Encoding.UTF8, contentType));

        await response.ShouldBeProblemAsync(status);
        await stocked.ShouldBeUnchangedAsync();
    }
}
