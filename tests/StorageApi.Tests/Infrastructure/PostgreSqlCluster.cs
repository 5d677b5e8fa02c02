using System.Diagnostics;
using Npgsql;

namespace StorageApi.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server for one test run, made from the machine's PostgreSQL binaries: initdb into a temp folder,
/// listening on 127.0.0.1 at a free port, trust authentication (nothing else can reach it), stopped when the run ends.
/// PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> user. Each test gets its own database.
/// </summary>
public sealed class PostgreSqlCluster
{
    private const string User = "storage_test";
    private static readonly Lazy<Task<PostgreSqlCluster>> Shared = new(StartAsync);
    private readonly string _folder;
    private readonly int _port;

    private PostgreSqlCluster(string folder, int port) => (_folder, _port) = (folder, port);

    public static Task<PostgreSqlCluster> InstanceAsync() => Shared.Value;

    /// <summary>A new empty database, as a <c>DATABASE_URL</c>.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={_port};Username={User};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return $"postgresql://{User}@127.0.0.1:{_port}/{name}";
    }

    private static async Task<PostgreSqlCluster> StartAsync()
    {
        var bin = Path.GetDirectoryName(Prerequisites.Path("/usr/lib/postgresql/*/bin/initdb"))!;
        RemoveLeftovers();
        var folder = Directory.CreateTempSubdirectory(Prefix).FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", "postgres:postgres", folder);
        var data = Path.Combine(folder, "data");
        var port = FreePort.Next();
        await RunAsAsync(asRoot, Path.Combine(bin, "initdb"), "-D", data, "-U", User, "-A", "trust", "--no-sync", "-E", "UTF8");
        await RunAsAsync(asRoot, Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-o",
            $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300", "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RunAsAsync(asRoot, Path.Combine(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop").GetAwaiter().GetResult();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return new PostgreSqlCluster(folder, port);
    }

    private const string Prefix = "storage-api-pg-";

    /// <summary>
    /// Removes the folders of earlier runs whose server no longer runs. The exit handler below is not enough: the test
    /// host can be ended before it finishes, and every run then left its cluster (hundreds of MiB) in /tmp until the
    /// disk filled. A folder in use has a live postmaster; one younger than ten minutes may still be starting.
    /// </summary>
    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) < TimeSpan.FromMinutes(10) || ServerRuns(folder)) continue;
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>postmaster.pid's first line is the server's process id while it runs.</summary>
    private static bool ServerRuns(string folder)
    {
        try
        {
            var pid = File.ReadLines(Path.Combine(folder, "data", "postmaster.pid")).FirstOrDefault();
            return int.TryParse(pid, out var id) && Directory.Exists($"/proc/{id}") && !File.ReadAllText($"/proc/{id}/stat").Contains(") Z ");
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return true; } // not ours to judge
    }

    private static Task RunAsAsync(bool asRoot, string file, params string[] args) =>
        asRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : RunAsync(file, args);

    private static Task RunAsync(string file, params string[] args) =>
        TestProcess.RequireAsync(new ProcessStartInfo(file, args) { WorkingDirectory = "/tmp" }, TimeSpan.FromMinutes(1));
}
