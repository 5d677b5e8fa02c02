using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>The embedding queue is a table: what was queued before a stop is embedded after the next start.</summary>
public sealed class QueueDurabilityTests
{
    [Fact]
    public async Task Entries_queued_before_a_restart_are_processed_after_it()
    {
        using var folder = new TempFolder();
        string key;
        List<string> ids = [];
        await using (var first = await RunningService.StartAsync(root: folder.Path, configureServices: SearchTesting.ManualWorker()))
        {
            var acme = await first.CreateTenantAsync("acme");
            key = acme.Key;
            foreach (var title in new[] { "Survey of the east reef", "Survey of the west reef", "Reef survey photographs" })
                ids.Add((await acme.Http.UploadTextAsync("survey.txt", title, new Dictionary<string, string> { ["title"] = title })).Id());
            await Task.Delay(100);

            var check = await first.QueueCheckAsync();
            check.GetProperty("status").GetString().ShouldBe("healthy"); // waiting is not failing
            check.GetProperty("data").GetProperty("waiting").GetInt32().ShouldBe(3);
            check.GetProperty("data").GetProperty("oldestAgeSeconds").GetDouble().ShouldBeGreaterThan(0);
            check.GetProperty("description").GetString()!.ShouldStartWith("3 waiting (oldest ");
            (await first.Anonymous.GetAsync("/health/ready")).IsSuccessStatusCode.ShouldBeTrue();
            (await first.CreateClient(key).SearchAsync("reef survey")).GetProperty("embedder").ValueKind.ShouldBe(JsonValueKind.Null);
        }

        await using var second = await RunningService.StartAsync(root: folder.Path, configureServices: SearchTesting.QuickWorker());
        await second.WaitForEmbeddingsAsync();

        var results = await second.CreateClient(key).SearchAsync("reef survey");
        results.GetProperty("embedder").GetProperty("provider").GetString().ShouldBe("local");
        results.Ids().ShouldBe(ids, ignoreOrder: true);
        results.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("vector").ValueKind != JsonValueKind.Null);
        second.Count("SELECT count(*) FROM ObjectVectors").ShouldBe(3);
    }
}
