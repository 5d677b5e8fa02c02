using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StorageApi.Search.Embeddings;

namespace StorageApi.Tests.Infrastructure;

/// <summary>One request the fake server received: what an OpenAI-compatible client sent.</summary>
public sealed record EmbeddingRequest(string Path, string? Authorization, string? Model, IReadOnlyList<string> Inputs, string? EncodingFormat, int Status);

/// <summary>
/// A real HTTP server speaking the OpenAI embeddings API (<c>POST /v1/embeddings</c>) on 127.0.0.1, started inside the
/// test. It answers with the local hashing embedder's vectors (so rankings mean something), checks the key, records
/// every request, and can be told to fail, to answer like Ollama (float arrays whatever was asked) or to hold requests.
/// </summary>
public sealed class FakeEmbeddingServer : IAsyncDisposable
{
    public const string Key = "sk-test-embeddings-5f2a9c1e7b3d8a4f";
    public const string Model = "test-embedding-model";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<EmbeddingRequest> _requests = new();
    private readonly Queue<int> _failures = new();
    private readonly Lock _sync = new();
    private TaskCompletionSource _gate = CompletedGate();

    private FakeEmbeddingServer(WebApplication app) => _app = app;

    /// <summary>The base URL to configure as OPENAI_BASE_URL, e.g. http://127.0.0.1:41234/v1 (as for Ollama or vLLM).</summary>
    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";

    public IReadOnlyList<EmbeddingRequest> Requests => [.. _requests];

    /// <summary>Answer with JSON float arrays even when base64 was asked for, as some OpenAI-compatible servers do.</summary>
    public bool AlwaysFloatArrays { get; set; }

    /// <summary>Vector length served; 384 by default, like the local embedder.</summary>
    public int Dimensions { get; set; } = LocalHashingEmbeddingGenerator.Dimensions;

    /// <summary>The next requests fail with these statuses, in order, before the server answers normally again.</summary>
    public void FailNext(params int[] statuses)
    {
        lock (_sync) foreach (var status in statuses) _failures.Enqueue(status);
    }

    /// <summary>Requests wait until <see cref="Release"/>: lets a test look at the service while embedding is in flight.</summary>
    public void Hold()
    {
        lock (_sync) _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release()
    {
        lock (_sync) _gate.TrySetResult();
    }

    public static async Task<FakeEmbeddingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeEmbeddingServer(app);
        app.MapPost("/v1/embeddings", server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Task gate;
        lock (_sync) gate = _gate.Task;
        await gate.WaitAsync(TimeSpan.FromSeconds(60));

        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var root = body.RootElement;
        var inputs = root.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Array
            ? input.EnumerateArray().Select(i => i.GetString() ?? "").ToList()
            : input.ValueKind == JsonValueKind.String ? [input.GetString()!] : [];
        var model = root.TryGetProperty("model", out var m) ? m.GetString() : null;
        var format = root.TryGetProperty("encoding_format", out var f) ? f.GetString() : null;
        var authorization = context.Request.Headers.Authorization.ToString();

        int status;
        lock (_sync) status = authorization != $"Bearer {Key}" ? 401 : _failures.TryDequeue(out var failure) ? failure : 200;
        _requests.Enqueue(new EmbeddingRequest(context.Request.Path, authorization, model, inputs, format, status));
        context.Response.StatusCode = status;
        if (status == 401)
        {
            await context.Response.WriteAsJsonAsync(new { error = new { message = "Incorrect API key provided: sk-wr***ong.", type = "invalid_request_error", code = "invalid_api_key" } });
            return;
        }
        if (status != 200)
        {
            context.Response.Headers["retry-after-ms"] = "20"; // honoured by the client: keeps the test quick
            await context.Response.WriteAsJsonAsync(new { error = new { message = $"failing on purpose with {status}", type = "server_error" } });
            return;
        }
        var data = inputs.Select((text, index) =>
        {
            var vector = LocalHashingEmbeddingGenerator.Embed(text).AsSpan(0, Math.Min(Dimensions, LocalHashingEmbeddingGenerator.Dimensions)).ToArray();
            if (vector.Length < Dimensions) Array.Resize(ref vector, Dimensions);
            object embedding = format == "base64" && !AlwaysFloatArrays ? Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan())) : vector;
            return new { @object = "embedding", index, embedding };
        }).ToList();
        await context.Response.WriteAsJsonAsync(new { @object = "list", data, model, usage = new { prompt_tokens = inputs.Count, total_tokens = inputs.Count } });
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
