using Microsoft.Data.Sqlite;
using StorageApi.Data;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Data;

/// <summary>Restoring into a live SQLite database that a running service reads and writes (its workers, its change watcher).</summary>
public sealed class SqliteRestoreTests
{
    [Fact]
    public async Task A_restore_waits_for_a_writer_of_the_live_database_instead_of_failing()
    {
        using var folder = new TempFolder();
        var live = Path.Combine(folder.Path, "live.db");
        var backup = Path.Combine(folder.Path, "backup.db");
        await ExecuteAsync(live, "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);");
        await SqliteBackup.WriteAsync(live, backup, CancellationToken.None);
        await ExecuteAsync(live, "INSERT INTO t VALUES (2);");

        await using var writer = new SqliteConnection($"Data Source={live};Pooling=False");
        await writer.OpenAsync();
        var writing = writer.BeginTransaction(deferred: false); // holds the write lock, as a worker's transaction does
        await using (var write = writer.CreateCommand())
        {
            write.Transaction = writing;
            write.CommandText = "INSERT INTO t VALUES (3)";
            await write.ExecuteNonQueryAsync();
        }
        var writerDone = Task.Delay(500).ContinueWith(_ => writing.Commit());

        await SqliteBackup.RestoreAsync(backup, live, CancellationToken.None);

        await writerDone;
        (await ScalarAsync(live, "SELECT count(*) FROM t")).ShouldBe(1L); // the backup's row only: the restore replaced what was written
    }

    private static async Task ExecuteAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
