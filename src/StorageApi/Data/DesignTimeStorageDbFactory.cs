using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace StorageApi.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
public sealed class DesignTimeStorageDbFactory : IDesignTimeDbContextFactory<StorageDb>
{
    public StorageDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<StorageDb>().UseSqlite("Data Source=design-time.db").Options);
}
