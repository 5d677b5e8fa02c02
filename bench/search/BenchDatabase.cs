using Microsoft.Data.Sqlite;
using StorageApi.Search.Vectors;

namespace SearchBench;

/// <summary>
/// The vectors as the service stores them (one SQLite table, float32 blobs), read back by id for exact rescoring with
/// the query the service sends through EF Core: the ids as one JSON parameter.
/// </summary>
public sealed class BenchDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _read;
    private readonly SqliteParameter _ids;

    public BenchDatabase(string file, int dimensions)
    {
        _connection = new SqliteConnection($"Data Source={file};Pooling=False");
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE ObjectVectors (TenantId TEXT, SetId INTEGER, ObjectId TEXT, Vector BLOB, PRIMARY KEY (TenantId, SetId, ObjectId));";
        create.ExecuteNonQuery();
        _read = _connection.CreateCommand();
        _read.CommandText = "SELECT ObjectId, Vector FROM ObjectVectors WHERE TenantId = 'acme' AND SetId = 1 AND ObjectId IN (SELECT value FROM json_each($ids))";
        _ids = _read.Parameters.Add("$ids", SqliteType.Text);
        Dimensions = dimensions;
    }

    public int Dimensions { get; }

    public void Insert(string[] ids, float[] rows)
    {
        using var transaction = _connection.BeginTransaction();
        using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO ObjectVectors VALUES ('acme', 1, $id, $vector)";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var vector = insert.Parameters.Add("$vector", SqliteType.Blob);
        for (var i = 0; i < ids.Length; i++)
        {
            id.Value = ids[i];
            vector.Value = VectorBlob.ToBytes(rows.AsSpan(i * Dimensions, Dimensions));
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Reads every row once, so the file is in the page cache as on a server that has been answering for a while.</summary>
    public void Warm()
    {
        using var scan = _connection.CreateCommand();
        scan.CommandText = "SELECT sum(length(Vector)) FROM ObjectVectors";
        scan.ExecuteScalar();
    }

    public List<(string ObjectId, float[] Vector)> Read(IReadOnlyList<string> ids)
    {
        _ids.Value = System.Text.Json.JsonSerializer.Serialize(ids);
        var rows = new List<(string, float[])>(ids.Count);
        using var reader = _read.ExecuteReader();
        while (reader.Read()) rows.Add((reader.GetString(0), VectorBlob.ToFloats((byte[])reader.GetValue(1))));
        return rows;
    }

    public void Dispose()
    {
        _read.Dispose();
        _connection.Dispose();
    }
}
