using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using StorageApi.Configuration;
using StorageApi.Data;

namespace StorageApi.Backups;

/// <summary>
/// A consistent copy of the database in a temporary file, with the blob rows and object count of that same copy: the
/// list of bytes a snapshot needs must be the one its database refers to, not whatever the live tables hold a moment later.
/// </summary>
public sealed record DatabaseSnapshot(string File, string Provider, long Objects, IReadOnlyList<BlobRow> Blobs) : IDisposable
{
    private const string BlobsQuery = """SELECT "TenantId", "Sha256", "Store", "Key", "Size" FROM "Blobs" """;
    private const string ObjectsQuery = """SELECT COUNT(*) FROM "Objects" """;

    public static async Task<DatabaseSnapshot> TakeAsync(StorageSettings settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.TempDirectory);
        var file = Path.Combine(settings.TempDirectory, $"backup-{Guid.NewGuid():N}.db");
        try
        {
            if (settings.Database.SqlitePath is { } source)
            {
                await SqliteBackup.WriteAsync(source, file, cancellationToken);
                await using var copy = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
                await copy.OpenAsync(cancellationToken);
                return new DatabaseSnapshot(file, "sqlite", await CountObjectsAsync(copy, null, cancellationToken), await ReadBlobsAsync(copy, null, cancellationToken));
            }
            // pg_dump joins this transaction's snapshot, and the rows are read in the same transaction: both see one moment.
            await using var connection = new NpgsqlConnection(settings.Database.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            await using var export = new NpgsqlCommand("SELECT pg_export_snapshot()", connection, transaction);
            var snapshotId = (string)(await export.ExecuteScalarAsync(cancellationToken))!;
            await PostgreSqlBackup.WriteAsync(settings.Database.ConnectionString, file, cancellationToken, snapshotId);
            var blobs = await ReadBlobsAsync(connection, transaction, cancellationToken);
            var objects = await CountObjectsAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new DatabaseSnapshot(file, "postgresql", objects, blobs);
        }
        catch
        {
            System.IO.File.Delete(file);
            throw;
        }
    }

    private static async Task<long> CountObjectsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = ObjectsQuery;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<BlobRow>> ReadBlobsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = BlobsQuery;
        var rows = new List<BlobRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new BlobRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
        return rows;
    }

    public void Dispose()
    {
        System.IO.File.Delete(File);
    }
}

/// <summary>Where one tenant's bytes were when the snapshot was taken.</summary>
public sealed record BlobRow(string TenantId, string Sha256, string Store, string Key, long Size);
