using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.PostgreSql;

/// <summary>Two instances on one PostgreSQL database and one data folder behave as one service: the way past one machine.</summary>
public sealed class SharedDatabaseTests
{
    [Fact]
    public async Task An_object_uploaded_through_one_instance_is_listed_served_and_deleted_through_the_other()
    {
        using var shared = new TempFolder();
        await using var first = await RunningService.StartAsync(root: shared.Path);
        await using var second = await RunningService.StartAsync(root: shared.Path);
        first.Settings.Database.ShouldBe(second.Settings.Database);
        var acme = await first.CreateTenantAsync("acme");
        using var throughSecond = second.CreateClient(acme.Key);

        var id = (await acme.Http.UploadTextAsync("both.txt", "one service, two processes")).GetProperty("id").GetString()!;

        (await throughSecond.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("one service, two processes");
        var listed = await throughSecond.GetFromJsonAsync<JsonElement>("/v1/objects");
        listed.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString()).ShouldBe([id]);
        (await throughSecond.DeleteAsync($"/v1/objects/{id}")).EnsureSuccessStatusCode();
        (await acme.Http.GetAsync($"/v1/objects/{id}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        first.BlobFiles().ShouldBeEmpty();
    }
}
