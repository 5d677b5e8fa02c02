using System.Security.Cryptography;

namespace StorageApi.Tests.Cli;

/// <summary>A valid production configuration in a temp folder, with fresh strong secrets: the baseline that tests break on purpose.</summary>
public sealed class ProductionEnvironment : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <param name="databaseUrl">The database; a SQLite file in the data folder when null.</param>
    public ProductionEnvironment(string? databaseUrl = null)
    {
        Variables = new Dictionary<string, string?>
        {
            ["ENVIRONMENT"] = "production",
            ["ADMIN_API_KEY"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["SIGNING_KEY"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["STORAGE_DATA_DIR"] = DataDirectory,
            ["DATABASE_URL"] = databaseUrl ?? "sqlite:///" + DatabaseFile,
            ["PUBLIC_BASE_URL"] = "https://files.example.com",
        };
        Directory.CreateDirectory(WorkingDirectory);
    }

    public Dictionary<string, string?> Variables { get; }
    public string Root => _folder.Path;
    public string WorkingDirectory => Path.Combine(_folder.Path, "work");
    public string DataDirectory => Path.Combine(_folder.Path, "data");
    public string DatabaseFile => Path.Combine(DataDirectory, "storage.db");
    public string AdminKey => Variables["ADMIN_API_KEY"]!;

    public Dictionary<string, string?> With(params (string Key, string? Value)[] changes)
    {
        var copy = new Dictionary<string, string?>(Variables);
        foreach (var (key, value) in changes) copy[key] = value;
        return copy;
    }

    /// <summary>A real fault under a running server on the SQLite file: its objects table disappears, so listing objects is a 500.</summary>
    public async Task DropObjectsTableAsync()
    {
        await using var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabaseFile};Pooling=false");
        await database.OpenAsync();
        await using var drop = database.CreateCommand();
        drop.CommandText = "DROP TABLE \"Objects\"";
        await drop.ExecuteNonQueryAsync();
    }

    public IReadOnlyList<string> Files() => [.. Directory.EnumerateFileSystemEntries(_folder.Path, "*", SearchOption.AllDirectories).Order()];

    public void Dispose() => _folder.Dispose();
}
