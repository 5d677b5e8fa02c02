using Microsoft.Data.Sqlite;

namespace StorageApi.Data;

/// <summary>Backups of a SQLite file through SQLite's online backup API: consistent while the service keeps writing.</summary>
public static class SqliteBackup
{
    public static async Task WriteAsync(string source, string destination, CancellationToken cancellationToken)
    {
        if (!File.Exists(source)) throw new FileNotFoundException($"database {source} does not exist");
        await using var from = new SqliteConnection($"Data Source={source};Pooling=False");
        await using var to = new SqliteConnection($"Data Source={destination};Pooling=False");
        await from.OpenAsync(cancellationToken);
        await to.OpenAsync(cancellationToken);
        from.BackupDatabase(to);
        await using var command = to.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=DELETE;"; // a backup is one self-contained file
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task RestoreAsync(string backupFile, string target, CancellationToken cancellationToken)
    {
        await using var from = new SqliteConnection($"Data Source={backupFile};Mode=ReadOnly;Pooling=False");
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
        await using (var wait = to.CreateCommand())
        {
            // A running service reads the live database every 250 ms at least (ChangeWatcher): the backup API's write
            // into it waits for those reads like any writer does, instead of failing at once with "database is locked".
            wait.CommandText = "PRAGMA busy_timeout = 30000;";
            await wait.ExecuteNonQueryAsync(cancellationToken);
        }
        from.BackupDatabase(to);
        await using var wal = to.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL;";
        await wal.ExecuteNonQueryAsync(cancellationToken);
    }
}
