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
        var folder = Directory.CreateTempSubdirectory("storage-api-pg-").FullName;
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

    private static Task RunAsAsync(bool asRoot, string file, params string[] args) =>
        asRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : RunAsync(file, args);

    private static Task RunAsync(string file, params string[] args) =>
        TestProcess.RequireAsync(new ProcessStartInfo(file, args) { WorkingDirectory = "/tmp" }, TimeSpan.FromMinutes(1));
}
