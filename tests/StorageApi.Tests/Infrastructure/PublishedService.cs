using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StorageApi.Tests.Infrastructure;

/// <summary>
/// The service published once per test run exactly as a release is (<c>dotnet publish -p:Version -p:SourceRevisionId</c>),
/// so CLI tests run the real <c>storage-api</c> executable with an environment they control completely.
/// </summary>
public sealed class PublishedService : IAsyncLifetime
{
    public const string Version = "1.2.3";
    public const string Commit = "abc1234def";

    private readonly TempFolder _folder = new();

    /// <summary>The published application folder: data must never be configured inside it.</summary>
    public string ApplicationDirectory => _folder.Path;

    public string Executable => Path.Combine(_folder.Path, "storage-api");

    public async Task InitializeAsync()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "StorageApi.slnx"))) root = Path.GetDirectoryName(root)!;
        var result = await ProcessRunner.RunAsync("dotnet",
            ["publish", Path.Combine(root, "src", "StorageApi"), "-c", "Release", "-o", _folder.Path, "--nologo", "-v", "quiet",
             $"-p:Version={Version}", $"-p:SourceRevisionId={Commit}"],
            root, new Dictionary<string, string?>(), TimeSpan.FromMinutes(5), inheritEnvironment: true);
        if (result.ExitCode != 0) throw new InvalidOperationException($"publish failed: {result.Output}{result.Errors}");
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Runs one admin verb in <paramref name="workingDirectory"/> with exactly <paramref name="environment"/>.</summary>
    public Task<ProcessResult> RunAsync(string workingDirectory, IDictionary<string, string?> environment, params string[] args) =>
        ProcessRunner.RunAsync(Executable, args, workingDirectory, environment, TimeSpan.FromSeconds(60));

    /// <summary>Starts the server on a free loopback port; it is killed when the returned process is disposed.</summary>
    public async Task<ServerProcess> StartServerAsync(string workingDirectory, IDictionary<string, string?> environment)
    {
        var port = FreePort();
        var variables = new Dictionary<string, string?>(environment) { ["URLS"] = $"http://127.0.0.1:{port}" };
        var server = new ServerProcess(ProcessRunner.Start(Executable, [], workingDirectory, variables), new Uri($"http://127.0.0.1:{port}"));
        await server.WaitUntilLiveAsync();
        return server;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedServiceCollection : ICollectionFixture<PublishedService>
{
    public const string Name = "published service";
}

/// <summary>A server started from the published binary; its output is collected as it comes; disposing kills it.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    public ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Http { get; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public async Task WaitUntilLiveAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!deadline.IsCancellationRequested)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the server exited with {_process.ExitCode}: {Output}");
            try
            {
                if ((await Http.GetAsync("/health/live", deadline.Token)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                break;
            }
            await Task.Delay(100, CancellationToken.None);
        }
        throw new TimeoutException($"the server did not become live within 30 seconds: {Output}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            await _process.WaitForExitAsync(deadline.Token);
        _process.Dispose();
    }
}
