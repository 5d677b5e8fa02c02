using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// One client sending one small object every <c>interval</c> through a tenant's public port, as a customer's steady
/// writer: every answer is kept. 201 with the object's own sha256 is an accepted write (remembered with its bytes); 503
/// with Retry-After is a refusal while writes are held; anything else (another status, a socket error) is a failure.
/// </summary>
public sealed class SteadyUploader : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public SteadyUploader(HttpClient client, TimeSpan interval) => _loop = Task.Run(() => LoopAsync(client, interval));

    public ConcurrentDictionary<string, byte[]> Accepted { get; } = new();
    public ConcurrentQueue<(TimeSpan At, string RetryAfter)> Refused { get; } = new();
    public ConcurrentQueue<string> Failures { get; } = new();
    public int Sent => Accepted.Count + Refused.Count + Failures.Count;

    private async Task LoopAsync(HttpClient client, TimeSpan interval)
    {
        using var _ = client;
        var next = _clock.Elapsed;
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes($"object {i} {Guid.NewGuid()}");
            var at = _clock.Elapsed;
            try
            {
                using var response = await client.PostAsync("/v1/objects", new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", $"steady-{i}.txt" } });
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Created && JsonDocument.Parse(body).RootElement is var created
                    && created.GetProperty("sha256").GetString() == Convert.ToHexStringLower(SHA256.HashData(bytes)))
                    Accepted[created.GetProperty("id").GetString()!] = bytes;
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is { } retryAfter)
                    Refused.Enqueue((at, retryAfter.ToString()));
                else Failures.Enqueue($"{at.TotalSeconds:0.000}s: {(int)response.StatusCode} {body}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Failures.Enqueue($"{at.TotalSeconds:0.000}s: {e.Message}");
            }
            next += interval;
            var wait = next - _clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
        }
    }

    /// <summary>Accepted objects that <paramref name="reader"/> cannot give back with the same sha256, as "id: why".</summary>
    public async Task<List<string>> MissingFromAsync(HttpClient reader)
    {
        var missing = new List<string>();
        foreach (var (id, bytes) in Accepted)
        {
            using var response = await reader.GetAsync($"/v1/objects/{id}/content");
            if (response.StatusCode != HttpStatusCode.OK) missing.Add($"{id}: {(int)response.StatusCode}");
            else if (!SHA256.HashData(await response.Content.ReadAsByteArrayAsync()).SequenceEqual(SHA256.HashData(bytes))) missing.Add($"{id}: other bytes");
        }
        return missing;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        await _loop;
    }
}
