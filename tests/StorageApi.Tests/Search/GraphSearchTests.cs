using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StorageApi.Search;
using StorageApi.Search.Vectors;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>
/// Tenants above the graph threshold (40 objects here) search an HNSW graph: built in the background, saved beside the
/// database, read back on start, repaired from the database when it missed changes, dropped from memory when idle.
/// Every answer is compared with a second instance on the same database that searches exactly.
/// </summary>
public sealed class GraphSearchTests
{
    private const int Threshold = 40;
    private static readonly string[] Topics = ["harbour ferry timetable", "annual budget report", "garden soil compost", "database backup restore", "mountain hiking trail"];
    private static readonly string[] Queries = ["ferry timetable", "budget", "compost for the garden", "restore a backup", "hiking", "mountain harbour"];

    [Fact]
    public async Task A_tenant_above_the_threshold_searches_a_graph_and_answers_as_an_exact_scan_does()
    {
        using var folder = new TempFolder();
        await using var graph = await StartAsync(folder, Threshold);
        var acme = await graph.CreateTenantAsync("acme");
        var ids = await UploadAsync(acme, 60);
        await graph.WaitForEmbeddingsAsync();
        await acme.Http.SearchAsync("ferry"); // loads it exact, and starts the build
        await BuiltAsync(graph);
        (await HealthAsync(graph)).GetProperty("tenantsOnGraph").GetInt32().ShouldBe(1);

        await using var exact = await StartAsync(folder, int.MaxValue);
        using var exactClient = exact.CreateClient(acme.Key);
        await SameAnswersAsync(acme.Http, exactClient, "");
        await SameAnswersAsync(acme.Http, exactClient, "&collection=odd");
        (await acme.Http.SearchAsync("ferry timetable", "&collection=odd")).Ids().ShouldAllBe(id => ids.IndexOf(id) % 2 == 1);
        (await acme.Http.SimilarAsync(ids[0])).Ids().ShouldBe((await exactClient.SimilarAsync(ids[0])).Ids());
        (await HealthAsync(exact)).GetProperty("tenantsOnGraph").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task The_graph_is_saved_beside_the_database_and_read_back_on_start_instead_of_built()
    {
        using var folder = new TempFolder();
        JsonElement before = default;
        var (acme, _) = await SavedGraphAsync(folder, 50, async tenant => before = await tenant.Http.SearchAsync("annual budget"));
        var saved = Directory.GetFiles(Path.Combine(folder.Path, "data", "vector-indexes", "acme")).Select(Path.GetFileName).ToList();
        saved.ShouldContain(f => f!.EndsWith(".keys", StringComparison.Ordinal));
        saved.ShouldContain(f => f!.EndsWith(".usearch", StringComparison.Ordinal));

        var logs = new CollectedLogs();
        await using var second = await StartAsync(folder, Threshold, logs);
        using var client = second.CreateClient(acme.Key);
        (await client.SearchAsync("annual budget")).Ids().ShouldBe(before.Ids());
        logs.Lines.ShouldContain(l => l.Message.Contains("Loaded the vector graph of tenant acme (50 objects") && l.Message.Contains("0 objects repaired"));
        logs.Lines.ShouldNotContain(l => l.Message.Contains("now searches a vector graph"));
        (await HealthAsync(second)).GetProperty("tenantsOnGraph").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Changes_the_saved_graph_missed_are_repaired_from_the_database_on_start()
    {
        using var folder = new TempFolder();
        var (acme, ids) = await SavedGraphAsync(folder, 50);

        // Another instance (exact) changes the tenant while no graph is watching: the saved graph now lags the database,
        // as it would after a crash between a commit and the next save.
        List<string> added;
        await using (var other = await StartAsync(folder, int.MaxValue))
        {
            using var client = other.CreateClient(acme.Key);
            foreach (var id in ids.Take(4)) (await client.DeleteAsync($"/v1/objects/{id}")).EnsureSuccessStatusCode();
            added = await UploadAsync(new TenantClient(acme.Id, acme.Key, client), 3, prefix: "new ferry harbour");
            await other.WaitForEmbeddingsAsync();
        }

        var logs = new CollectedLogs();
        await using var graph = await StartAsync(folder, Threshold, logs);
        using var graphClient = graph.CreateClient(acme.Key);
        var answer = await graphClient.SearchAsync("ferry harbour", "&k=50");
        logs.Lines.ShouldContain(l => l.Message.Contains("Loaded the vector graph of tenant acme (49 objects") && l.Message.Contains("7 objects repaired"));
        answer.Ids().ShouldNotContain(id => ids.Take(4).Contains(id));
        answer.Ids().ShouldContain(added[0]);
        await using var exact = await StartAsync(folder, int.MaxValue);
        using var exactClient = exact.CreateClient(acme.Key);
        await SameAnswersAsync(graphClient, exactClient, "");
    }

    [Fact]
    public async Task A_damaged_saved_graph_is_ignored_and_built_again()
    {
        using var folder = new TempFolder();
        var (acme, _) = await SavedGraphAsync(folder, 45);
        var graphFile = Directory.GetFiles(Path.Combine(folder.Path, "data", "vector-indexes", "acme"), "*.usearch").Single();
        await using (var file = new FileStream(graphFile, FileMode.Open, FileAccess.Write))
        {
            file.Position = file.Length / 2;
            file.Write(new byte[4096]); // zeros over the middle: offsets and neighbours
        }

        var logs = new CollectedLogs();
        await using var second = await StartAsync(folder, Threshold, logs);
        using var client = second.CreateClient(acme.Key);
        await using var exact = await StartAsync(folder, int.MaxValue);
        using var exactClient = exact.CreateClient(acme.Key);
        await SameAnswersAsync(client, exactClient, ""); // exact meanwhile
        logs.Lines.ShouldContain(l => l.Level == LogLevel.Warning && l.Message.Contains("Ignoring the saved vector graph of tenant acme") && l.Message.Contains("damaged or replaced"));
        await BuiltAsync(second);
        await SameAnswersAsync(client, exactClient, "");
        File.Exists(graphFile).ShouldBeFalse(); // removed when it was found damaged
    }

    [Fact]
    public async Task Two_instances_on_one_database_keep_their_own_graph_and_agree()
    {
        using var folder = new TempFolder();
        await using var a = await StartAsync(folder, Threshold);
        await using var b = await StartAsync(folder, Threshold);
        var acme = await a.CreateTenantAsync("acme");
        var ids = await UploadAsync(acme, 50);
        await a.WaitForEmbeddingsAsync();
        using var viaB = b.CreateClient(acme.Key);
        await acme.Http.SearchAsync("ferry");
        await viaB.SearchAsync("ferry");
        await BuiltAsync(a);
        await BuiltAsync(b);

        // B deletes and adds; A has not seen either and repairs its graph in place on its next search.
        (await viaB.DeleteAsync($"/v1/objects/{ids[0]}")).EnsureSuccessStatusCode();
        var added = await UploadAsync(new TenantClient(acme.Id, acme.Key, viaB), 2, prefix: "harbour ferry timetable extra");
        await b.WaitForEmbeddingsAsync();
        var fromA = await acme.Http.SearchAsync("harbour ferry timetable", "&k=50");
        fromA.Ids().ShouldNotContain(ids[0]);
        fromA.Ids().ShouldContain(added[0]);
        await SameAnswersAsync(acme.Http, viaB, "");
        (await HealthAsync(a)).GetProperty("tenantsOnGraph").GetInt32().ShouldBe(1);
        (await HealthAsync(b)).GetProperty("tenantsOnGraph").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task An_idle_tenant_leaves_memory_and_comes_back_from_its_saved_graph()
    {
        using var folder = new TempFolder();
        var logs = new CollectedLogs();
        await using var service = await StartAsync(folder, Threshold, logs, idle: TimeSpan.FromMilliseconds(500));
        var acme = await service.CreateTenantAsync("acme");
        await UploadAsync(acme, 45);
        await service.WaitForEmbeddingsAsync();
        var before = await acme.Http.SearchAsync("garden compost");
        await BuiltAsync(service);

        await SearchTesting.Eventually(async () => (await HealthAsync(service)).GetProperty("tenantsInMemory").GetInt32() == 0, "the idle tenant is dropped");
        logs.Lines.ShouldContain(l => l.Message.Contains("Dropped the vectors of tenant acme from memory"));
        (await acme.Http.SearchAsync("garden compost")).Ids().ShouldBe(before.Ids());
        logs.Lines.ShouldContain(l => l.Message.Contains("Loaded the vector graph of tenant acme (45 objects"));
    }

    private static Task<RunningService> StartAsync(TempFolder folder, int threshold, CollectedLogs? logs = null, TimeSpan? idle = null) =>
        RunningService.StartAsync(root: folder.Path, configureServices: services =>
        {
            SearchTesting.QuickWorker(options =>
            {
                options.GraphThreshold = threshold;
                options.HousekeepingInterval = TimeSpan.FromMilliseconds(100);
                options.GraphSaveQuiet = TimeSpan.FromMilliseconds(200);
                if (idle is { } after) options.IdleUnload = after;
            })(services);
            logs?.AddTo(services);
        });

    /// <summary>
    /// A service that makes tenant acme with <paramref name="count"/> objects, builds its graph, runs
    /// <paramref name="whileRunning"/> and stops, saving the graph; acme and its object ids.
    /// </summary>
    private static async Task<(TenantClient Acme, List<string> Ids)> SavedGraphAsync(TempFolder folder, int count, Func<TenantClient, Task>? whileRunning = null)
    {
        await using var first = await StartAsync(folder, Threshold);
        var acme = await first.CreateTenantAsync("acme");
        var ids = await UploadAsync(acme, count);
        await first.WaitForEmbeddingsAsync();
        await acme.Http.SearchAsync("ferry"); // loads it exact, and starts the build
        await BuiltAsync(first);
        if (whileRunning is not null) await whileRunning(acme);
        return (acme, ids);
    }

    /// <summary>
    /// <paramref name="count"/> objects over five topics, in collections "odd" and "even"; their ids in order. Each has
    /// words of its own besides its topic's: near-duplicates (texts that differ only in a number) lose their links in an
    /// HNSW graph, which keeps the more diverse of two close neighbours, and would make the graph's answers depend on
    /// the order of inserts.
    /// </summary>
    private static async Task<List<string>> UploadAsync(TenantClient tenant, int count, string? prefix = null)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var topic = prefix ?? Topics[i % Topics.Length];
            var own = $"{Word(i)} {Word(i + 101)} {Word(i + 211)}";
            var created = await tenant.Http.UploadTextAsync($"doc-{i}.txt", $"{topic} note {own}",
                new Dictionary<string, string> { ["title"] = $"{topic} {Word(i + 307)}", ["collection"] = i % 2 == 1 ? "odd" : "even" });
            ids.Add(created.Id());
        }
        return ids;
    }

    /// <summary>A made-up word, different for every <paramref name="n"/> (e.g. "bakito").</summary>
    private static string Word(int n)
    {
        const string consonants = "bdfgklmnprstvz", vowels = "aeiou";
        var word = "";
        for (var rest = n + 1000; rest > 0; rest /= 70) word += $"{consonants[rest % 14]}{vowels[rest / 14 % 5]}";
        return word;
    }

    private static async Task BuiltAsync(RunningService service)
    {
        var indexes = service.Services.GetRequiredService<TenantVectorIndexes>();
        await SearchTesting.Eventually(async () =>
        {
            await indexes.BuildsAsync();
            return indexes.Totals().Graphs > 0;
        }, "the graph is built");
    }

    private static async Task<JsonElement> HealthAsync(RunningService service) =>
        (await service.QueueCheckAsync()).GetProperty("data");

    /// <summary>The graph's answers are the exact scan's: same objects, order and similarity, for every query.</summary>
    private static async Task SameAnswersAsync(HttpClient graph, HttpClient exact, string extra)
    {
        foreach (var query in Queries)
        {
            var fromGraph = await graph.SearchAsync(query, extra + "&k=20");
            var fromExact = await exact.SearchAsync(query, extra + "&k=20");
            Answers(fromGraph).ShouldBe(Answers(fromExact), $"{query}{extra}");
        }
    }

    private static List<string> Answers(JsonElement results) =>
    [
        .. results.GetProperty("items").EnumerateArray().Select(i =>
            $"{i.GetProperty("object").GetProperty("id").GetString()} {i.GetProperty("score").GetDouble()} {i.GetProperty("vector")}")
    ];
}
