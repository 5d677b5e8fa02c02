using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace StorageApi.Tests.Observability;

/// <summary>
/// A stand-in for Sentry's ingestion API on 127.0.0.1: it accepts envelopes on <c>/api/{project}/envelope/</c> the way
/// sentry.io does and keeps their decompressed text, so tests read exactly what the service would have sent.
/// </summary>
public sealed class SentryIngest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<string> _envelopes = [];

    private SentryIngest(WebApplication app) => _app = app;

    public string Dsn { get; private set; } = "";

    public IReadOnlyList<string> Envelopes { get { lock (_envelopes) return [.. _envelopes]; } }

    public static async Task<SentryIngest> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var ingest = new SentryIngest(app);
        app.MapPost("/api/{project}/envelope/", async (HttpRequest request) =>
        {
            Stream body = request.Body;
            if (request.Headers.ContentEncoding == "gzip") body = new GZipStream(body, CompressionMode.Decompress);
            using var reader = new StreamReader(body);
            var text = await reader.ReadToEndAsync();
            lock (ingest._envelopes) ingest._envelopes.Add(text);
            return Results.Ok(new { id = Guid.NewGuid().ToString("N") });
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        ingest.Dsn = $"http://0123456789abcdef0123456789abcdef@127.0.0.1:{address.Port}/42";
        return ingest;
    }

    /// <summary>Waits (bounded) for an envelope that holds an event (not just a session or a client report) containing <paramref name="text"/>.</summary>
    public async Task<string> WaitForEventAsync(TimeSpan timeout, string text)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if (Envelopes.FirstOrDefault(e => e.Contains("\"type\":\"event\"") && e.Contains(text)) is { } found) return found;
            await Task.Delay(100, CancellationToken.None);
        }
        throw new TimeoutException($"no event arrived within {timeout}; envelopes: {Envelopes.Count}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
