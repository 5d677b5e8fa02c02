using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace StorageApi.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add … --context SqliteStorageDb|PostgreSqlStorageDb</c> build each provider's model
/// without starting the service or reaching a database.
/// </summary>
public sealed class DesignTimeSqliteFactory : IDesignTimeDbContextFactory<SqliteStorageDb>
{
    public SqliteStorageDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteStorageDb>().UseSqlite("Data Source=design-time.db").Options);
}

public sealed class DesignTimePostgreSqlFactory : IDesignTimeDbContextFactory<PostgreSqlStorageDb>
{
    public PostgreSqlStorageDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlStorageDb>().UseNpgsql("Host=localhost;Database=design-time").Options);
}
