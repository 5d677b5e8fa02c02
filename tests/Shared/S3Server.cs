using System.Collections.Concurrent;
using System.Diagnostics;

namespace TestSupport;

/// <summary>
/// A real S3-protocol server on 127.0.0.1 for the tests: s3rver 3.7.1 from tests/s3-server (pinned npm project that
/// ./test.sh installs), keeping its buckets in a temp folder. <see cref="InstanceAsync"/> is the one server of a test
/// run, started on first use and stopped when the run ends; <see cref="StartSeparateAsync"/> gives a test its own,
/// which it may <see cref="Stop"/> and <see cref="StartAsync"/> again on the same port and folder (the store going away
/// and coming back). s3rver checks only the access key id (S3RVER), not the V4 signature.
/// </summary>
public sealed class S3Server : IDisposable
{
    public const string AccessKeyId = "S3RVER";
    public const string SecretAccessKey = "S3RVER";

    private static readonly Lazy<Task<S3Server>> Shared = new(async () =>
    {
        var server = await StartSeparateAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    });

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly TempFolder _folder = new("s3rver-");
    private readonly ConcurrentQueue<string> _lines = new();
    private Process? _process;

    private S3Server() => Port = FreePort.Next();

    /// <summary>The server shared by every test of the run.</summary>
    public static Task<S3Server> InstanceAsync() => Shared.Value;

    /// <summary>A server of the test's own, running; the test disposes it.</summary>
    public static async Task<S3Server> StartSeparateAsync()
    {
        var server = new S3Server();
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";
    public string Folder => _folder.Path;
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts s3rver (again) on this port and folder and waits until it listens.</summary>
    public async Task StartAsync()
    {
        if (IsRunning) return;
        var project = RepositoryRoot.Combine("tests", "s3-server");
        Prerequisites.RequireOnPath("node");
        if (!File.Exists(Path.Combine(project, "node_modules", "s3rver", "package.json")))
            throw new InvalidOperationException(
                "s3rver is not installed in tests/s3-server: run `npm ci --prefix tests/s3-server` (Debian package npm), or ./test.sh, which does");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // s3rver makes list continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
        var start = new ProcessStartInfo("node", ["--openssl-legacy-provider", "server.js", Port.ToString(), Folder]) { WorkingDirectory = project }.CleanEnvironment();
        _process = TestProcess.Start(start, line =>
        {
            _lines.Enqueue(line);
            while (_lines.Count > 50) _lines.TryDequeue(out _);
            if (line.StartsWith("s3rver ready", StringComparison.Ordinal)) ready.TrySetResult();
        });
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        if (first != ready.Task)
        {
            Stop();
            throw new InvalidOperationException($"s3rver did not start on {Endpoint}: {string.Join('\n', _lines)}");
        }
    }

    /// <summary>Kills the server at once, whatever is in flight: the store goes away. Its buckets stay in the folder.</summary>
    public void Stop()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { } // it had ended already
        _process.Dispose();
        _process = null;
    }

    /// <summary>A new empty bucket, by name.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var bucket = "test-" + Guid.NewGuid().ToString("N")[..16];
        // s3rver accepts unsigned requests; a signed one would need the AWS SDK, which not every test project has.
        using var response = await Http.PutAsync($"{Endpoint}/{bucket}", null);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"s3rver did not create bucket {bucket}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return bucket;
    }

    /// <summary>What a service needs to keep its blobs in <paramref name="bucket"/> under <paramref name="prefix"/> on this server.</summary>
    public IReadOnlyDictionary<string, string> VariablesFor(string bucket, string prefix = "blobs") => new Dictionary<string, string>
    {
        ["BLOB_STORE_URL"] = $"s3://{bucket}/{prefix}",
        ["S3_ENDPOINT"] = Endpoint,
        ["S3_FORCE_PATH_STYLE"] = "true",
        ["S3_ACCESS_KEY_ID"] = AccessKeyId,
        ["S3_SECRET_ACCESS_KEY"] = SecretAccessKey,
    };

    public void Dispose()
    {
        Stop();
        _folder.Dispose();
    }
}
