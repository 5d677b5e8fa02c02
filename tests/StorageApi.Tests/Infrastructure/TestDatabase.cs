namespace StorageApi.Tests.Infrastructure;

/// <summary>
/// Which database the service tests run on. tests/StorageApi.Tests uses SQLite files; tests/StorageApi.PostgreSql.Tests
/// compiles the same tests with POSTGRESQL defined, so every service test also runs against a real PostgreSQL server.
/// </summary>
public static class TestDatabase
{
#if POSTGRESQL
    public static bool IsPostgreSql => true;
#else
    public static bool IsPostgreSql => false;
#endif

    /// <summary>
    /// The PostgreSQL database of the service rooted at <paramref name="root"/>: made on first use and remembered in the
    /// folder, so a service restarted on the same root finds its data again. Null on SQLite (a file in the data folder).
    /// </summary>
    public static async Task<string?> DatabaseUrlForAsync(string root)
    {
        if (!IsPostgreSql) return null;
        var remembered = Path.Combine(root, "postgresql-url");
        if (File.Exists(remembered)) return await File.ReadAllTextAsync(remembered);
        var url = await (await PostgreSqlCluster.InstanceAsync()).CreateDatabaseAsync();
        await File.WriteAllTextAsync(remembered, url);
        return url;
    }
}
