using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>Signed links: a key-less download that expires and cannot be altered.</summary>
public sealed class LinkTests
{
    private static async Task<string> CreateLinkAsync(TenantClient tenant, string id, int seconds)
    {
        var response = await tenant.Http.PostAsJsonAsync($"/v1/objects/{id}/links", new { expiresInSeconds = seconds });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
    }

    [Fact]
    public async Task A_link_downloads_without_a_key_until_it_expires()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("secret.txt", "private bytes")).GetProperty("id").GetString()!;

        var url = await CreateLinkAsync(acme, id, 60);

        url.ShouldStartWith(service.BaseAddress + "v1/links/");
        (await service.Anonymous.GetStringAsync(url)).ShouldBe("private bytes");
        clock.Advance(TimeSpan.FromSeconds(61));
        var expired = await (await service.Anonymous.GetAsync(url)).ShouldBeProblemAsync(410);
        expired.GetProperty("detail").GetString()!.ShouldContain("expired");
    }

    [Fact]
    public async Task An_altered_link_is_403_and_reveals_nothing()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("secret.txt", "private bytes")).GetProperty("id").GetString()!;
        var url = await CreateLinkAsync(acme, id, 60);
        var token = url[(url.LastIndexOf('/') + 1)..];
        // The last character of the signature carries 4 bits of the MAC and 2 unused bits: change each kind.
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = alphabet.IndexOf(token[^1]);
        var macChanged = token[..^1] + alphabet[last ^ 0b100000];
        var unusedBitsChanged = token[..^1] + alphabet[last ^ 0b000001];

        await (await service.Anonymous.GetAsync($"/v1/links/{macChanged}")).ShouldBeProblemAsync(403);
        await (await service.Anonymous.GetAsync($"/v1/links/{unusedBitsChanged}")).ShouldBeProblemAsync(403);
        await (await service.Anonymous.GetAsync("/v1/links/not-a-token")).ShouldBeProblemAsync(403);
        await (await service.Anonymous.GetAsync($"/v1/links/{token[..(token.Length / 2)]}")).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task A_link_to_a_deleted_object_is_404()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("gone.txt", "x")).GetProperty("id").GetString()!;
        var url = await CreateLinkAsync(acme, id, 60);

        (await acme.Http.DeleteAsync($"/v1/objects/{id}")).EnsureSuccessStatusCode();

        await (await service.Anonymous.GetAsync(url)).ShouldBeProblemAsync(404);
    }

    [Theory]
    [InlineData("""{"expiresInSeconds":0}""")]
    [InlineData("""{"expiresInSeconds":604801}""")]
    [InlineData("""{"expiresInSeconds":"soon"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"expiresInSeconds":60,"extra":1}""")]
    public async Task A_bad_lifetime_is_400(string body)
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "x")).GetProperty("id").GetString()!;

        var response = await acme.Http.PostAsync($"/v1/objects/{id}/links", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(400);
    }
}
