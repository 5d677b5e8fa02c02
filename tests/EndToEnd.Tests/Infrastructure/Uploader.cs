using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Clients that upload through nginx without pause until stopped, remembering the sha256 of every upload answered 201:
/// each of those is a write the service accepted, and must still be there, byte for byte, whatever a deploy did.
/// </summary>
public sealed class Uploader(TestFleet fleet, string tenant, string key)
{
    private readonly List<(string Id, string Sha256)> _accepted = [];
    private readonly List<string> _failures = [];

    public IReadOnlyList<(string Id, string Sha256)> Accepted { get { lock (_accepted) return [.. _accepted]; } }
    public IReadOnlyList<string> Failures { get { lock (_failures) return [.. _failures]; } }

    /// <summary>Runs <paramref name="clients"/> upload loops until <paramref name="stop"/>; at most 5,000 uploads each.</summary>
    public Task RunAsync(int clients, CancellationToken stop) => Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
    {
        using var client = fleet.Client(tenant, key);
        for (var i = 0; i < 5_000 && !stop.IsCancellationRequested; i++)
        {
            var bytes = RandomNumberGenerator.GetBytes(512 + Random.Shared.Next(4096));
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
            try
            {
                using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", $"c{c}-{i}.bin" } };
                using var response = await client.PostAsync("/v1/objects", form, CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    var problem = await response.Content.ReadAsStringAsync();
                    lock (_failures) _failures.Add($"upload {c}/{i}: {(int)response.StatusCode} {problem}");
                    continue;
                }
                var created = await response.Content.ReadFromJsonAsync<JsonElement>();
                created.GetProperty("sha256").GetString().ShouldBe(sha256);
                lock (_accepted) _accepted.Add((created.GetProperty("id").GetString()!, sha256));
            }
            catch (HttpRequestException e)
            {
                lock (_failures) _failures.Add($"upload {c}/{i}: {e.Message}");
            }
        }
    })));

    /// <summary>Every accepted upload whose bytes cannot be read back with their sha256, as "id: why".</summary>
    public async Task<List<string>> MissingAsync()
    {
        using var client = fleet.Client(tenant, key);
        var missing = new List<string>();
        foreach (var (id, sha256) in Accepted)
        {
            using var response = await client.GetAsync($"/v1/objects/{id}/content");
            if (response.StatusCode != HttpStatusCode.OK) missing.Add($"{id}: {(int)response.StatusCode}");
            else if (Convert.ToHexStringLower(SHA256.HashData(await response.Content.ReadAsByteArrayAsync())) != sha256) missing.Add($"{id}: other bytes");
        }
        return missing;
    }
}
