using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Configuration;
using StorageApi.Search;
using StorageApi.Search.Queue;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>What search tests share: calling the endpoints, waiting for the queue, configuring providers, reading the database.</summary>
public static partial class SearchTesting
{
    /// <summary>Variables that point the service at <paramref name="server"/> as an OpenAI-compatible provider.</summary>
    public static Dictionary<string, string?> OpenAi(FakeEmbeddingServer server, string key = FakeEmbeddingServer.Key) => new()
    {
        [KnownVariables.OpenAiApiKey] = key,
        [KnownVariables.OpenAiBaseUrl] = server.BaseUrl,
        [KnownVariables.EmbeddingModel] = FakeEmbeddingServer.Model,
        [KnownVariables.Embedder] = null, // not the tests' hashing: with a key, the default is OpenAI
    };

    /// <summary>The worker waits an hour: the test drives it with <see cref="EmbeddingWorker.RunOnceAsync"/>, or restarts the service.</summary>
    public static Action<IServiceCollection> ManualWorker(Action<SearchOptions>? more = null) => services =>
        services.Configure<SearchOptions>(options =>
        {
            options.StartDelay = TimeSpan.FromHours(1);
            options.RetryDelay = TimeSpan.FromMilliseconds(50);
            more?.Invoke(options);
        });

    /// <summary>The background worker runs, with short waits.</summary>
    public static Action<IServiceCollection> QuickWorker(Action<SearchOptions>? more = null) => services =>
        services.Configure<SearchOptions>(options =>
        {
            options.PollInterval = TimeSpan.FromMilliseconds(200);
            options.RetryDelay = TimeSpan.FromMilliseconds(50);
            options.MaxRetryDelay = TimeSpan.FromSeconds(1);
            more?.Invoke(options);
        });

    public static EmbeddingWorker Worker(this RunningService service) => service.Services.GetRequiredService<EmbeddingWorker>();

    /// <summary>Runs the worker until nothing is due; returns how many batches it took.</summary>
    public static async Task<int> DrainAsync(this RunningService service)
    {
        var batches = 0;
        while (await service.Worker().RunOnceAsync(CancellationToken.None) is { } pause)
        {
            batches++;
            if (pause > TimeSpan.Zero) throw new InvalidOperationException($"a batch failed: {(await service.QueueCheckAsync()).GetRawText()}");
        }
        return batches;
    }

    public static async Task<JsonElement> SearchAsync(this HttpClient client, string query, string extra = "")
    {
        var response = await client.GetAsync($"/v1/search?q={Uri.EscapeDataString(query)}{extra}");
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(200, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> SimilarAsync(this HttpClient client, string objectId, int k = 10)
    {
        var response = await client.GetAsync($"/v1/objects/{objectId}/similar?k={k}");
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(200, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static IReadOnlyList<string> Ids(this JsonElement results) =>
        [.. results.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("object").GetProperty("id").GetString()!)];

    public static JsonElement Hit(this JsonElement results, string objectId) =>
        results.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("object").GetProperty("id").GetString() == objectId);

    public static string Id(this JsonElement created) => created.GetProperty("id").GetString()!;

    /// <summary>The embedding queue's check in /health.</summary>
    public static async Task<JsonElement> QueueCheckAsync(this RunningService service)
    {
        var health = await service.Anonymous.GetFromJsonAsync<JsonElement>("/health");
        return health.GetProperty("checks").GetProperty(SearchExtensions.HealthCheckName);
    }

    /// <summary>Waits until the background worker has emptied the queue.</summary>
    public static async Task WaitForEmbeddingsAsync(this RunningService service, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement check;
        while ((check = await service.QueueCheckAsync()).GetProperty("data").GetProperty("waiting").GetInt32() > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the embedding queue did not drain: {check.GetRawText()}");
            await Task.Delay(50);
        }
    }

    public static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// A number from the service's database, read over a separate connection. The SQL is SQLite's; on PostgreSQL the
    /// table and column names are quoted (they were created quoted) and <c>$name</c> parameters become <c>@name</c>.
    /// </summary>
    public static long Count(this RunningService service, string sql, params (string Name, object Value)[] parameters)
    {
        var database = service.Settings.Database;
        if (database.SqlitePath is { } path)
        {
            using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            return Convert.ToInt64(command.ExecuteScalar());
        }
        using var postgres = new Npgsql.NpgsqlConnection(database.ConnectionString);
        postgres.Open();
        using var query = postgres.CreateCommand();
        query.CommandText = QuotedNames().Replace(sql, "\"$1\"").Replace("$", "@");
        foreach (var (name, value) in parameters) query.Parameters.AddWithValue(name.TrimStart('$'), value);
        return Convert.ToInt64(query.ExecuteScalar());
    }

    /// <summary>How many of the tenant-visible texts match <paramref name="word"/> in the database's own keyword index (FTS5 or tsvector).</summary>
    public static long KeywordMatches(this RunningService service, string word) => service.Count(TestDatabase.IsPostgreSql
        ? $"SELECT count(*) FROM ObjectTexts WHERE Keywords @@ to_tsquery('simple', '{word}')"
        : $"SELECT count(*) FROM ObjectKeywords WHERE ObjectKeywords MATCH '{word}'");

    /// <summary>How many of the named tables exist.</summary>
    public static long TablesNamed(this RunningService service, params string[] names)
    {
        var list = string.Join(", ", names.Select(n => $"'{n}'"));
        return service.Count(TestDatabase.IsPostgreSql
            ? $"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ({list})"
            : $"SELECT count(*) FROM sqlite_master WHERE name IN ({list})");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![""\w])(EmbeddingQueue|ObjectVectors|ObjectTexts|VectorSets|Objects|ObjectId|TenantId|State|Provider|Model|Attempts|NextAttemptAt|LastAttemptAt|Keywords)(?![""\w])")]
    private static partial System.Text.RegularExpressions.Regex QuotedNames();
}
