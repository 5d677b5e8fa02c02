using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>
/// /v1/search with EMBEDDER=local-minilm, as a client calls it: a text found by meaning with no word in common with the
/// query stays first above texts that share only function words with it (which keyword search leaves out).
/// </summary>
public sealed class LocalModelSearchTests
{
    [Fact]
    public async Task A_puppy_on_a_lawn_is_the_first_answer_to_a_dog_playing_in_the_park()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            [KnownVariables.Embedder] = StorageSettings.Embedders.LocalMiniLm,
            [KnownVariables.EmbeddingModelDirectory] = ConfigurationReader.DefaultModelDirectory,
        }, configureServices: SearchTesting.QuickWorker());
        var acme = await service.CreateTenantAsync("acme");
        var puppy = (await acme.Http.UploadTextAsync("lawn.txt", "A puppy chased a ball across a lawn.")).Id();
        // Shares "a", "in" and "the" with the query and nothing else: a keyword rank for them would lift it above the puppy.
        var meeting = (await acme.Http.UploadTextAsync("meeting.txt", "The meeting in the afternoon is a review of the budget.")).Id();
        var tax = (await acme.Http.UploadTextAsync("tax.txt", "Quarterly tax report with deductible expenses.")).Id();
        await service.WaitForEmbeddingsAsync();

        var results = await acme.Http.SearchAsync("a dog playing in the park");

        results.Ids()[0].ShouldBe(puppy);
        var embedder = results.GetProperty("embedder");
        (embedder.GetProperty("provider").GetString(), embedder.GetProperty("model").GetString(), embedder.GetProperty("dimensions").GetInt32())
            .ShouldBe(("local", "all-MiniLM-L6-v2", 384));
        results.Hit(puppy).GetProperty("keyword").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        foreach (var other in new[] { meeting, tax })
            if (results.Ids().Contains(other)) results.Hit(other).GetProperty("keyword").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }
}
