using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>Two tenants store near-identical objects; whatever either asks, it never sees the other's.</summary>
public sealed class TenantIsolationTests
{
    private static readonly string[] Titles = ["Quarterly revenue report", "Quarterly revenue report draft", "Board meeting minutes", "Office floor plan"];

    private static async Task<List<string>> StockAsync(TenantClient tenant)
    {
        var ids = new List<string>();
        foreach (var title in Titles)
            ids.Add((await tenant.Http.UploadTextAsync($"{title.Replace(' ', '-')}.txt", $"{title} of the company", new Dictionary<string, string>
            {
                ["title"] = title, ["tags"] = "shared,finance", ["collection"] = "reports",
            })).Id());
        // One object says whose it is, so a query for the other tenant's name is tempting.
        ids.Add((await tenant.Http.UploadTextAsync("owner.txt", $"owned by {tenant.Id}", new Dictionary<string, string> { ["title"] = $"{tenant.Id} owner" })).Id());
        return ids;
    }

    private static readonly string[] Queries =
    [
        "quarterly revenue report", "report", "acme", "globex", "acme owner", "globex owner", "finance shared reports",
        "\"report\" OR *", "NEAR(report minutes)", "obj_", "tenant:globex", "' OR 1=1 --", "%", "*",
    ];

    [Fact]
    public async Task Search_and_similar_only_ever_return_the_callers_objects()
    {
        await using var service = await RunningService.StartAsync(configureServices: SearchTesting.QuickWorker());
        var acme = await service.CreateTenantAsync("acme");
        var globex = await service.CreateTenantAsync("globex");
        var acmeIds = await StockAsync(acme);
        var globexIds = await StockAsync(globex);
        await service.WaitForEmbeddingsAsync();

        foreach (var (tenant, own, other) in new[] { (acme, acmeIds, globexIds), (globex, globexIds, acmeIds) })
        {
            var found = new HashSet<string>();
            foreach (var query in Queries.Concat(other))
            {
                var results = await tenant.Http.SearchAsync(query, "&k=100");
                results.Ids().ShouldAllBe(id => own.Contains(id), $"{tenant.Id} searched '{query}'");
                found.UnionWith(results.Ids());
            }
            found.Count.ShouldBeGreaterThan(3); // the queries did find things: the tenant's own
            foreach (var id in own)
                (await tenant.Http.SimilarAsync(id, k: 100)).Ids().ShouldAllBe(similar => own.Contains(similar), $"{tenant.Id} asked for objects similar to {id}");
            foreach (var id in other)
                await (await tenant.Http.GetAsync($"/v1/objects/{id}/similar")).ShouldBeProblemAsync(404);
        }
        // Near-identical objects: each tenant's best match for its own title is its own object.
        (await acme.Http.SearchAsync(Titles[0])).Ids()[0].ShouldBe(acmeIds[0]);
        (await globex.Http.SearchAsync(Titles[0])).Ids()[0].ShouldBe(globexIds[0]);
    }

    [Fact]
    public async Task A_dedicated_instance_searches_and_embeds_only_its_tenant()
    {
        using var folder = new TempFolder();
        string acmeKey;
        List<string> acmeIds, globexIds;
        await using (var shared = await RunningService.StartAsync(root: folder.Path, configureServices: SearchTesting.ManualWorker()))
        {
            var acme = await shared.CreateTenantAsync("acme");
            var globex = await shared.CreateTenantAsync("globex");
            acmeKey = acme.Key;
            acmeIds = await StockAsync(acme);
            globexIds = await StockAsync(globex);
        }

        await using var dedicated = await RunningService.StartAsync(new Dictionary<string, string?> { [KnownVariables.TenantId] = "acme" },
            root: folder.Path, configureServices: SearchTesting.QuickWorker());
        using var acmeClient = dedicated.CreateClient(acmeKey);
        await dedicated.WaitForEmbeddingsAsync(); // the queue it sees is acme's

        foreach (var query in Queries.Concat(globexIds))
            (await acmeClient.SearchAsync(query, "&k=100")).Ids().ShouldAllBe(id => acmeIds.Contains(id), query);
        (await acmeClient.SearchAsync(Titles[0])).GetProperty("embedder").GetProperty("provider").GetString().ShouldBe("local");
        // globex's objects wait untouched for an instance that serves globex.
        dedicated.Count("SELECT count(*) FROM EmbeddingQueue WHERE TenantId = 'globex'").ShouldBe(globexIds.Count);
        dedicated.Count("SELECT count(*) FROM ObjectVectors WHERE TenantId = 'globex'").ShouldBe(0);
    }
}
