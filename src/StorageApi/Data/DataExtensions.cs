using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;

namespace StorageApi.Data;

public static class DataExtensions
{
    public static IServiceCollection AddStorageData(this IServiceCollection services, StorageSettings settings)
    {
        if (settings.Database.Provider != DatabaseProvider.Sqlite)
            throw new NotSupportedException($"{settings.Database.Display}: this version stores data in SQLite only; PostgreSQL support is not built yet");

        var connectionString = new SqliteConnectionStringBuilder(settings.Database.ConnectionString)
        {
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30, // seconds to wait on a locked database before failing
        }.ToString();
        services.AddDbContext<StorageDb>(options => options.UseSqlite(connectionString));
        services.AddSingleton<DatabaseMaintenance>();
        return services;
    }
}
