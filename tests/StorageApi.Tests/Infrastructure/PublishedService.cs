using System.Diagnostics;

namespace StorageApi.Tests.Infrastructure;

/// <summary>
/// The service published once per test run exactly as a release is (<c>dotnet publish -p:Version -p:SourceRevisionId</c>),
/// so CLI tests run the real <c>storage-api</c> executable with an environment they control completely. Its models/ folder
/// holds the local embedding model, as a release on a host links it.
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
        await TestProcess.RequireAsync(new ProcessStartInfo("dotnet",
            ["publish", RepositoryRoot.Combine("src", "StorageApi"), "-c", "Release", "-o", _folder.Path, "--nologo", "-v", "quiet",
             $"-p:Version={Version}", $"-p:SourceRevisionId={Commit}",
             // The local model beside the executable, where a deploy links the host's copy: the default embedder finds it.
             $"-p:EmbeddingModelPublishDir={Path.Combine(_folder.Path, "models")}/"]) { WorkingDirectory = RepositoryRoot.Path }, TimeSpan.FromMinutes(5));
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Runs one admin verb in <paramref name="workingDirectory"/> with exactly <paramref name="environment"/>.</summary>
    public Task<ProcessResult> RunAsync(string workingDirectory, IDictionary<string, string?> environment, params string[] args) =>
        TestProcess.RunAsync(Only(environment, workingDirectory, args), TimeSpan.FromSeconds(60));

    /// <summary>Starts the server on a free loopback port; it is killed when the returned process is disposed.</summary>
    public async Task<ServerProcess> StartServerAsync(string workingDirectory, IDictionary<string, string?> environment)
    {
        var port = FreePort.Next();
        var variables = new Dictionary<string, string?>(environment) { ["URLS"] = $"http://127.0.0.1:{port}" };
        var server = new ServerProcess(Only(variables, workingDirectory, []), new Uri($"http://127.0.0.1:{port}"));
        await server.WaitUntilLiveAsync();
        return server;
    }

    /// <summary>The executable with exactly <paramref name="environment"/>: nothing of the test process leaks into it.</summary>
    private ProcessStartInfo Only(IDictionary<string, string?> environment, string workingDirectory, string[] args) =>
        new ProcessStartInfo(Executable, args) { WorkingDirectory = workingDirectory }.CleanEnvironment().WithEnvironment(environment);
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

    public ServerProcess(ProcessStartInfo start, Uri baseAddress)
    {
        _process = TestProcess.Start(start, line => { lock (_output) _output.AppendLine(line); });
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
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
