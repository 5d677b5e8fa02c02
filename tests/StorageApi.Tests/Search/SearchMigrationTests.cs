using System.Net.Http.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>Objects stored before search existed become searchable after the AddSearch migration; the migration can be undone.</summary>
public sealed class SearchMigrationTests
{
    [Fact]
    public async Task Existing_objects_are_queued_by_the_migration_and_indexed_with_their_content_by_the_worker()
    {
        await using var service = await RunningService.StartAsync(configureServices: SearchTesting.ManualWorker());
        var acme = await service.CreateTenantAsync("acme");
        var old = (await acme.Http.UploadTextAsync("manual.md", "Calibrate the anemometer every spring.", new Dictionary<string, string> { ["title"] = "Weather station manual" })).Id();

        var sha = (await acme.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/objects/{old}")).GetProperty("sha256").GetString()!;
        var key = await service.BlobKeyOfAsync("acme", sha);

        await service.MigrateToAsync("20261125021015_InitialSchema"); // as a database from before search, with the file layout of then
        service.TablesNamed("EmbeddingQueue", "ObjectVectors", "ObjectTexts", "ObjectKeywords").ShouldBe(0);
        var blobs = service.Settings.BlobStoreUrl.Folder!;
        Directory.CreateDirectory(Path.Combine(blobs, "acme", sha[..2]));
        File.Move(Path.Combine(blobs, key), Path.Combine(blobs, "acme", sha[..2], sha));
        await service.MigrateToAsync(null);

        service.Count("SELECT count(*) FROM EmbeddingQueue WHERE ObjectId = $id", ("$id", old)).ShouldBe(1);
        (await acme.Http.SearchAsync("anemometer")).Ids().ShouldBeEmpty(); // nothing indexed yet
        await service.DrainAsync();

        var results = await acme.Http.SearchAsync("anemometer");
        results.Ids().ShouldBe([old]);
        results.Hit(old).GetProperty("vector").GetProperty("rank").GetInt32().ShouldBe(1);
        service.KeywordMatches("anemometer").ShouldBe(1);
    }
}
