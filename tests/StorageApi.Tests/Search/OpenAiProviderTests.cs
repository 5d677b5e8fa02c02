using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>
/// The OpenAI-compatible provider against a real HTTP server that speaks the embeddings API: what is sent, how objects
/// are batched, what is retried, and what an operator sees when the key is wrong.
/// </summary>
public sealed class OpenAiProviderTests
{
    [Fact]
    public async Task Objects_are_embedded_in_batches_with_the_configured_model_key_and_base_url()
    {
        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        await using var service = await RunningService.StartAsync(SearchTesting.OpenAi(embeddings),
            configureServices: SearchTesting.ManualWorker(options => options.BatchSize = 3));
        var acme = await service.CreateTenantAsync("acme");
        var ids = new List<string>();
        for (var i = 1; i <= 7; i++)
            ids.Add((await acme.Http.UploadTextAsync($"note-{i}.txt", $"body {i}", new Dictionary<string, string> { ["title"] = $"Harbour note {i}" })).Id());

        (await service.DrainAsync()).ShouldBe(3);

        var requests = embeddings.Requests;
        requests.Select(r => r.Inputs.Count).ShouldBe([3, 3, 1]);
        requests.ShouldAllBe(r => r.Path == "/v1/embeddings" && r.Model == FakeEmbeddingServer.Model
            && r.Authorization == "Bearer " + FakeEmbeddingServer.Key && r.Status == 200);
        requests.SelectMany(r => r.Inputs).Count(input => input.StartsWith("Harbour note ", StringComparison.Ordinal)).ShouldBe(7);
        requests[0].Inputs[0].ShouldBe("Harbour note 1\nnote-1.txt\n\nbody 1");

        // Queries are embedded by the same provider, one request each.
        var results = await acme.Http.SearchAsync("harbour note 5");
        results.Ids()[0].ShouldBe(ids[4]);
        results.GetProperty("embedder").GetProperty("provider").GetString().ShouldBe("openai");
        results.GetProperty("embedder").GetProperty("model").GetString().ShouldBe(FakeEmbeddingServer.Model);
        embeddings.Requests.Count.ShouldBe(4);
        embeddings.Requests[^1].Inputs.ShouldBe(["harbour note 5"]);
    }

    [Fact]
    public async Task A_server_that_answers_with_float_arrays_like_ollama_works_too()
    {
        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        embeddings.AlwaysFloatArrays = true;
        embeddings.Dimensions = 768;
        await using var service = await RunningService.StartAsync(SearchTesting.OpenAi(embeddings), configureServices: SearchTesting.ManualWorker());
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("tides.txt", "high water at 06:12", new Dictionary<string, string> { ["title"] = "Tide table" })).Id();

        await service.DrainAsync();
        var results = await acme.Http.SearchAsync("tide table");

        results.Ids().ShouldBe([id]);
        results.Hit(id).GetProperty("vector").GetProperty("similarity").GetDouble().ShouldBeGreaterThan(0.5);
        results.GetProperty("embedder").GetProperty("dimensions").GetInt32().ShouldBe(768);
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_are_retried_quickly_then_with_backoff_from_the_queue()
    {
        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        await using var service = await RunningService.StartAsync(SearchTesting.OpenAi(embeddings), configureServices: SearchTesting.ManualWorker());
        var acme = await service.CreateTenantAsync("acme");
        var first = (await acme.Http.UploadTextAsync("a.txt", "alpha", new Dictionary<string, string> { ["title"] = "Buoy positions" })).Id();

        // Two failures fit in the client's quick retries (Retry-After honoured): one call of the worker succeeds.
        embeddings.FailNext(429, 503);
        (await service.Worker().RunOnceAsync(CancellationToken.None)).ShouldBe(TimeSpan.Zero);
        embeddings.Requests.Select(r => r.Status).ShouldBe([429, 503, 200]);

        // Three failures outlast them: the entry records the error and is due again after the backoff.
        var second = (await acme.Http.UploadTextAsync("b.txt", "beta", new Dictionary<string, string> { ["title"] = "Buoy maintenance" })).Id();
        embeddings.FailNext(500, 502, 504);
        var pause = await service.Worker().RunOnceAsync(CancellationToken.None);
        pause.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
        var check = await service.QueueCheckAsync();
        check.GetProperty("status").GetString().ShouldBe("degraded");
        check.GetProperty("data").GetProperty("failing").GetInt32().ShouldBe(1);
        check.GetProperty("data").GetProperty("lastError").GetString()!.ShouldContain("HTTP 504");
        (await service.Anonymous.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await service.Anonymous.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        service.Count("SELECT Attempts FROM EmbeddingQueue").ShouldBe(1);
        service.Count(TestDatabase.IsPostgreSql
                ? "SELECT CAST(round(EXTRACT(EPOCH FROM (NextAttemptAt - LastAttemptAt)) * 1000) AS INTEGER) FROM EmbeddingQueue"
                : "SELECT CAST(round((julianday(NextAttemptAt) - julianday(LastAttemptAt)) * 86400000) AS INTEGER) FROM EmbeddingQueue")
            .ShouldBeInRange(49, 51); // the first backoff, 50 ms in this test

        await Task.Delay(100);
        (await service.Worker().RunOnceAsync(CancellationToken.None)).ShouldBe(TimeSpan.Zero);

        embeddings.Requests.Select(r => r.Status).ShouldBe([429, 503, 200, 500, 502, 504, 200]);
        (await service.QueueCheckAsync()).GetProperty("status").GetString().ShouldBe("healthy");
        (await acme.Http.SearchAsync("buoy")).Ids().ShouldBe([first, second], ignoreOrder: true);
    }

    [Fact]
    public async Task A_wrong_key_is_reported_in_the_queue_in_health_and_in_the_log_without_a_busy_loop()
    {
        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        var logs = new CollectedLogs();
        await using var service = await RunningService.StartAsync(SearchTesting.OpenAi(embeddings, key: "sk-wrong-key-0123456789abcdef"),
            configureServices: services =>
            {
                logs.AddTo(services);
                SearchTesting.QuickWorker(options => options.RetryDelay = TimeSpan.FromMilliseconds(200))(services);
            });
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "alpha", new Dictionary<string, string> { ["title"] = "Chart corrections" })).Id();

        await SearchTesting.Eventually(async () => (await service.QueueCheckAsync()).GetProperty("status").GetString() == "degraded", "the failure shows in /health");
        await Task.Delay(1000);

        var check = await service.QueueCheckAsync();
        var data = check.GetProperty("data");
        data.GetProperty("waiting").GetInt32().ShouldBe(1);
        data.GetProperty("failing").GetInt32().ShouldBe(1);
        var error = data.GetProperty("lastError").GetString()!;
        error.ShouldContain("HTTP 401");
        error.ShouldContain("OPENAI_API_KEY");
        error.ShouldNotContain("sk-wrong-key-0123456789abcdef");
        check.GetProperty("description").GetString()!.ShouldContain("HTTP 401");
        // 401 is not retried by the client; the worker backs off 200 ms, 400 ms, 800 ms …: a handful of calls, not hundreds.
        embeddings.Requests.Count.ShouldBeInRange(2, 6);
        embeddings.Requests.ShouldAllBe(r => r.Status == 401);
        logs.Lines.ShouldContain(l => l.Level == LogLevel.Error && l.Message.Contains("HTTP 401") && l.Message.Contains("acme"));
        // The instance keeps serving: ready, objects readable, keyword search answers (without vectors).
        (await service.Anonymous.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await acme.Http.GetAsync($"/v1/objects/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var results = await acme.Http.SearchAsync("chart corrections");
        results.Ids().ShouldBe([id]);
        results.GetProperty("embedder").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task One_object_the_provider_refuses_does_not_hold_back_the_rest_of_its_batch()
    {
        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        await using var service = await RunningService.StartAsync(SearchTesting.OpenAi(embeddings), configureServices: SearchTesting.ManualWorker());
        var acme = await service.CreateTenantAsync("acme");
        await acme.Http.UploadTextAsync("a.txt", "alpha", new Dictionary<string, string> { ["title"] = "Anchor log" });
        await acme.Http.UploadTextAsync("b.txt", "beta", new Dictionary<string, string> { ["title"] = "Anchor chain" });
        embeddings.FailNext(400, 400); // the batch, then the first object alone

        await service.Worker().RunOnceAsync(CancellationToken.None);

        embeddings.Requests.Select(r => (r.Status, r.Inputs.Count)).ShouldBe([(400, 2), (400, 1), (200, 1)]);
        var data = (await service.QueueCheckAsync()).GetProperty("data");
        data.GetProperty("waiting").GetInt32().ShouldBe(1);
        data.GetProperty("lastError").GetString()!.ShouldContain("refused the input");
    }
}
