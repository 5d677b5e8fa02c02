using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>
/// A new embedder (configuration change and restart) re-embeds each tenant in the background; search answers from
/// the old vectors until the new set is complete, then switches, and the old vectors are removed.
/// </summary>
public sealed class ReembeddingTests
{
    [Fact]
    public async Task Switching_from_the_local_embedder_to_an_openai_compatible_one_keeps_search_answering_throughout()
    {
        using var folder = new TempFolder();
        string key;
        List<string> ids = [];
        await using (var local = await RunningService.StartAsync(root: folder.Path, configureServices: SearchTesting.QuickWorker()))
        {
            var acme = await local.CreateTenantAsync("acme");
            key = acme.Key;
            foreach (var title in new[] { "Coastal erosion study", "Erosion of the coastal path", "Canteen menu" })
                ids.Add((await acme.Http.UploadTextAsync("doc.txt", title, new Dictionary<string, string> { ["title"] = title })).Id());
            await local.WaitForEmbeddingsAsync();
        }

        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        embeddings.Hold();
        await using var service = await RunningService.StartAsync(SearchTesting.OpenAi(embeddings), root: folder.Path, configureServices: SearchTesting.QuickWorker());
        using var client = service.CreateClient(key);
        await SearchTesting.Eventually(() => Task.FromResult(embeddings.Requests.Count > 0 || service.Count("SELECT count(*) FROM VectorSets") == 2), "the rebuild starts");
        await SearchTesting.Eventually(() => Task.FromResult(service.Count("SELECT count(*) FROM EmbeddingQueue") == 3), "every object is queued");

        // While the provider holds the first batch, search answers from the local vectors.
        var during = await client.SearchAsync("coastal erosion");
        during.GetProperty("embedder").GetProperty("provider").GetString().ShouldBe("local");
        during.Ids().Take(2).ShouldBe([ids[0], ids[1]], ignoreOrder: true);
        during.Hit(ids[0]).GetProperty("vector").ValueKind.ShouldNotBe(JsonValueKind.Null);
        var added = (await client.UploadTextAsync("new.txt", "x", new Dictionary<string, string> { ["title"] = "Coastal defence plan" })).Id();
        (await client.SearchAsync("coastal")).Ids().ShouldContain(added); // by keyword meanwhile
        service.Count("SELECT count(*) FROM VectorSets WHERE State = 'building' AND Provider = 'openai'").ShouldBe(1);
        var check = await service.QueueCheckAsync();
        check.GetProperty("data").GetProperty("rebuilding").EnumerateArray().Select(t => t.GetString()).ShouldBe(["acme"]);
        check.GetProperty("status").GetString().ShouldBe("healthy");

        embeddings.Release();
        await service.WaitForEmbeddingsAsync();
        await SearchTesting.Eventually(async () =>
            (await client.SearchAsync("coastal erosion")).GetProperty("embedder").GetProperty("provider").GetString() == "openai", "search switches to the new vectors");

        var after = await client.SearchAsync("coastal erosion");
        after.GetProperty("embedder").GetProperty("model").GetString().ShouldBe(FakeEmbeddingServer.Model);
        after.Ids().Take(2).ShouldBe([ids[0], ids[1]], ignoreOrder: true);
        after.Hit(added).GetProperty("vector").ValueKind.ShouldNotBe(JsonValueKind.Null);
        service.Count("SELECT count(*) FROM VectorSets").ShouldBe(1);
        (await service.QueueCheckAsync()).GetProperty("data").GetProperty("rebuilding").GetArrayLength().ShouldBe(0);
        service.Count("SELECT count(*) FROM VectorSets WHERE State = 'active' AND Provider = 'openai' AND Model = $m", ("$m", FakeEmbeddingServer.Model)).ShouldBe(1);
        service.Count("SELECT count(*) FROM ObjectVectors").ShouldBe(4); // the local vectors are gone
        embeddings.Requests.SelectMany(r => r.Inputs).ShouldContain(input => input.StartsWith("Canteen menu", StringComparison.Ordinal));
    }
}
