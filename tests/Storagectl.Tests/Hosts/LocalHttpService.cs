using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Storagectl.Tests.Hosts;

/// <summary>A small real HTTP service on 127.0.0.1 standing in for a slot (its /health, its /metrics), stopped on dispose.</summary>
public sealed class LocalHttpService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalHttpService(WebApplication app, int port) => (_app, Port) = (app, port);

    public int Port { get; }

    /// <summary>Starts a service on a free port with the endpoints <paramref name="map"/> adds.</summary>
    public static async Task<LocalHttpService> StartAsync(Action<WebApplication> map)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new LocalHttpService(app, port);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
