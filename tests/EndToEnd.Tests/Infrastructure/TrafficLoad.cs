using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Client loops sending requests through nginx back to back until stopped, each on its own keep-alive connection, as
/// real clients do: GETs of health, an object's bytes and a listing, and a small upload per round. Every socket error
/// and every answer outside 2xx is a failure; every upload that succeeded is remembered with its bytes. A short pause
/// before each request leaves the connection idle now and then, where a proxy that closes idle connections bites.
/// </summary>
public sealed class TrafficLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private int _requests;

    public TrafficLoad(TestFleet fleet, string tenant, string key, string objectId, int loops)
    {
        _loops = [.. Enumerable.Range(0, loops).Select(loop => Task.Run(() => LoopAsync(fleet.Client(tenant, key), loop, objectId)))];
    }

    public int Requests => Volatile.Read(ref _requests);
    public ConcurrentQueue<string> Failures { get; } = new();
    public ConcurrentDictionary<string, byte[]> Uploaded { get; } = new();

    private async Task LoopAsync(HttpClient client, int loop, string objectId)
    {
        using var _ = client;
        for (var round = 0; !_stop.IsCancellationRequested; round++)
        {
            await SendAsync("GET /health/live", () => client.GetAsync("/health/live"));
            await SendAsync("GET content", () => client.GetAsync($"/v1/objects/{objectId}/content"));
            await SendAsync("GET list", () => client.GetAsync("/v1/objects?limit=5"));
            var bytes = System.Text.Encoding.UTF8.GetBytes($"loop {loop} round {round} {Guid.NewGuid()}");
            var created = await SendAsync("POST upload", () => client.PostAsync("/v1/objects",
                new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", $"l{loop}-{round}.txt" } }));
            if (created is not null) Uploaded[(await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!] = bytes;
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
