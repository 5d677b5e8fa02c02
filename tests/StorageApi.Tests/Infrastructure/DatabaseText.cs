using StorageApi.Configuration;

namespace StorageApi.Tests.Infrastructure;

/// <summary>Everything a database holds, as text, to prove that something is not in it: the SQLite file and its WAL, or a plain pg_dump.</summary>
public static class DatabaseText
{
    public static async Task<string> AllOfAsync(DatabaseUrl database)
    {
        if (database.SqlitePath is { } path)
        {
            var bytes = await File.ReadAllBytesAsync(path);
            var wal = path + "-wal";
            return System.Text.Encoding.ASCII.GetString([.. bytes, .. File.Exists(wal) ? await File.ReadAllBytesAsync(wal) : []]);
        }
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        var dump = await ProcessRunner.RunAsync("pg_dump", ["--data-only", "--format=plain", "--dbname", connection.Database!], "/tmp",
            new Dictionary<string, string?> { ["PGHOST"] = connection.Host, ["PGPORT"] = connection.Port.ToString(), ["PGUSER"] = connection.Username },
            TimeSpan.FromMinutes(1), inheritEnvironment: true);
        if (dump.ExitCode != 0) throw new InvalidOperationException("pg_dump failed: " + dump.Errors);
        return dump.Output;
    }
}
