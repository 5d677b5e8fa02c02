using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Client loops sending requests through nginx back to back until stopped, each on its own keep-alive connection, as
/// real clients do: GETs of health, an object's bytes and a listing, and a small upload per round. Every socket error
/// and every answer outside 2xx is a failure, and so is an upload not answered 201 with its own sha256; every upload
/// answered 201 is a write the service accepted, remembered with its bytes, that must still be there whatever a deploy
/// did. A short pause before each request leaves the connection idle now and then, where a proxy that closes idle
/// connections bites. Each loop stops by itself after 5,000 rounds.
/// </summary>
public sealed class TrafficLoad : IAsyncDisposable
{
    private const int MaxRounds = 5_000;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private readonly Func<HttpClient> _client;
    private int _requests;

    public TrafficLoad(TestFleet fleet, string tenant, string key, string objectId, int loops)
    {
        _client = () => fleet.Client(tenant, key);
        _loops = [.. Enumerable.Range(0, loops).Select(loop => Task.Run(() => LoopAsync(_client(), loop, objectId)))];
    }

    public int Requests => Volatile.Read(ref _requests);
    public ConcurrentQueue<string> Failures { get; } = new();
    public ConcurrentDictionary<string, byte[]> Uploaded { get; } = new();

    private async Task LoopAsync(HttpClient client, int loop, string objectId)
    {
        using var _ = client;
        for (var round = 0; round < MaxRounds && !_stop.IsCancellationRequested; round++)
        {
            await SendAsync("GET /health/live", () => client.GetAsync("/health/live"));
            await SendAsync("GET content", () => client.GetAsync($"/v1/objects/{objectId}/content"));
            await SendAsync("GET list", () => client.GetAsync("/v1/objects?limit=5"));
            var bytes = System.Text.Encoding.UTF8.GetBytes($"loop {loop} round {round} {Guid.NewGuid()}");
            using var created = await SendAsync("POST upload", () => client.PostAsync("/v1/objects",
                new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", $"l{loop}-{round}.txt" } }));
            if (created is null) continue;
            var body = await created.Content.ReadFromJsonAsync<JsonElement>();
            if (created.StatusCode != HttpStatusCode.Created || body.GetProperty("sha256").GetString() != Sha256(bytes))
                Failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} POST upload: {(int)created.StatusCode} {body}");
            else Uploaded[body.GetProperty("id").GetString()!] = bytes;
        }
    }

    /// <summary>The response when it is a 2xx; otherwise null, with the failure recorded.</summary>
    private async Task<HttpResponseMessage?> SendAsync(string what, Func<Task<HttpResponseMessage>> send)
    {
        Interlocked.Increment(ref _requests);
        try
        {
            if (Random.Shared.Next(2) == 0) await Task.Delay(1);
            var response = await send();
            if (response.IsSuccessStatusCode) return response;
            Failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what}: {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what}: {e.Message}");
        }
        return null;
    }

    /// <summary>Every accepted upload whose bytes cannot be read back, as "id: why"; also after the loops stopped.</summary>
    public async Task<List<string>> MissingAsync()
    {
        using var reader = _client();
        var missing = new List<string>();
        foreach (var (id, bytes) in Uploaded)
        {
            using var response = await reader.GetAsync($"/v1/objects/{id}/content");
            if (response.StatusCode != HttpStatusCode.OK) missing.Add($"{id}: {(int)response.StatusCode}");
            else if (Sha256(await response.Content.ReadAsByteArrayAsync()) != Sha256(bytes)) missing.Add($"{id}: other bytes");
        }
        return missing;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Stops the loops and waits for them; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }
}
