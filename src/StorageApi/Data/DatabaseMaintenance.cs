using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;

namespace StorageApi.Data;

/// <summary>Migrations and backups: the operations a deploy runs around a release.</summary>
public sealed class DatabaseMaintenance(IServiceScopeFactory scopes, StorageSettings settings)
{
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }

    /// <summary>Applies pending migrations and returns their names. SQLite is switched to WAL mode first.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Database.SqlitePath is { } path) Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        // WAL lets readers and the online backup run beside a writer; the setting is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }

    /// <summary>Writes a consistent copy of the live database to <paramref name="destination"/> (atomically: temp file, then rename).</summary>
    public async Task BackupAsync(string destination, CancellationToken cancellationToken = default)
    {
        var source = settings.Database.SqlitePath ?? throw new NotSupportedException("backup supports SQLite databases only in this version");
        if (!File.Exists(source)) throw new FileNotFoundException($"database {source} does not exist");
        var full = Path.GetFullPath(destination);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".partial";
        File.Delete(temporary);
        try
        {
            await using (var from = new SqliteConnection($"Data Source={source};Pooling=False"))
            await using (var to = new SqliteConnection($"Data Source={temporary};Pooling=False"))
            {
                await from.OpenAsync(cancellationToken);
                await to.OpenAsync(cancellationToken);
                // SQLite's online backup API: a consistent snapshot while the service keeps writing.
                from.BackupDatabase(to);
                await using var command = to.CreateCommand();
                command.CommandText = "PRAGMA journal_mode=DELETE;"; // a backup is one self-contained file
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Puts a backup's contents into the live database through SQLite's backup API, so a service that is running sees
    /// either the old or the restored database, never a half-copied file. Used by deploys to undo a failed migration.
    /// </summary>
    public async Task RestoreAsync(string backupFile, CancellationToken cancellationToken = default)
    {
        var target = settings.Database.SqlitePath ?? throw new NotSupportedException("restore supports SQLite databases only in this version");
        if (!File.Exists(backupFile)) throw new FileNotFoundException($"backup {Path.GetFullPath(backupFile)} does not exist");
        await using var from = new SqliteConnection($"Data Source={Path.GetFullPath(backupFile)};Mode=ReadOnly;Pooling=False");
        await from.OpenAsync(cancellationToken);
        await using (var check = from.CreateCommand())
        {
            check.CommandText = "PRAGMA integrity_check";
            if (await check.ExecuteScalarAsync(cancellationToken) is not "ok")
                throw new InvalidDataException($"{backupFile} is not an intact SQLite database; nothing was restored");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using var to = new SqliteConnection($"Data Source={target};Pooling=False");
        await to.OpenAsync(cancellationToken);
        from.BackupDatabase(to);
        await using var wal = to.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL;";
        await wal.ExecuteNonQueryAsync(cancellationToken);
    }
}
