using System.Diagnostics;
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
        var dump = new ProcessStartInfo("pg_dump", ["--data-only", "--format=plain", "--dbname", connection.Database!]) { WorkingDirectory = "/tmp" }
            .WithEnvironment(new Dictionary<string, string?> { ["PGHOST"] = connection.Host, ["PGPORT"] = connection.Port.ToString(), ["PGUSER"] = connection.Username });
        return await TestProcess.RequireAsync(dump, TimeSpan.FromMinutes(1));
    }
}
