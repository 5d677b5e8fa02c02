using System.Diagnostics;
using Npgsql;

namespace StorageApi.Data;

/// <summary>
/// Backups of a PostgreSQL database with the server's own tools: <c>pg_dump</c> (custom format, one consistent
/// snapshot) and <c>pg_restore</c> in a single transaction. The password travels in PGPASSWORD, never in argv.
/// </summary>
public static class PostgreSqlBackup
{
    /// <summary>Dumps the database; with <paramref name="snapshot"/> (from <c>pg_export_snapshot()</c>), exactly as that transaction sees it.</summary>
    public static Task WriteAsync(string connectionString, string destination, CancellationToken cancellationToken, string? snapshot = null) =>
        RunAsync("pg_dump", connectionString,
            ["--format=custom", "--no-owner", "--file", destination, .. snapshot is null ? Array.Empty<string>() : [$"--snapshot={snapshot}"]], cancellationToken);

    public static async Task RestoreAsync(string connectionString, string backupFile, CancellationToken cancellationToken)
    {
        // An archive pg_restore cannot list is not a backup: refuse before touching the database.
        try { await RunAsync("pg_restore", null, ["--list", backupFile], cancellationToken); }
        catch (IOException) { throw new InvalidDataException($"{backupFile} is not a pg_dump archive; nothing was restored"); }
        await RunAsync("pg_restore", connectionString, ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", backupFile], cancellationToken);
    }

    private static async Task RunAsync(string tool, string? connectionString, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (connectionString is not null)
        {
            var connection = new NpgsqlConnectionStringBuilder(connectionString);
            start.ArgumentList.Add("--dbname");
            start.ArgumentList.Add(connection.Database ?? "");
            start.Environment["PGHOST"] = connection.Host;
            start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["PGUSER"] = connection.Username;
            if (connection.Password is { Length: > 0 } password) start.Environment["PGPASSWORD"] = password;
        }
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try { process = Process.Start(start) ?? throw new IOException($"could not start {tool}"); }
        catch (System.ComponentModel.Win32Exception e) { throw new IOException($"{tool} is needed for PostgreSQL backups: {e.Message}"); }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0) throw new IOException($"{tool} failed: {(await errors).Trim().Split('\n').LastOrDefault()}");
        }
    }
}
