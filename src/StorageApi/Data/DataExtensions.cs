using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using StorageApi.Configuration;

namespace StorageApi.Data;

public static class DataExtensions
{
    /// <summary>
    /// The database named by <c>DATABASE_URL</c>: SQLite (one file, WAL) or PostgreSQL. Services ask for
    /// <see cref="StorageDb"/>; the provider's own context type decides which migrations apply.
    /// </summary>
    public static IServiceCollection AddStorageData(this IServiceCollection services, StorageSettings settings)
    {
        var database = settings.Database;
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var connectionString = new SqliteConnectionStringBuilder(database.ConnectionString)
            {
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
                DefaultTimeout = 30, // seconds to wait on a locked database before failing
            }.ToString();
            services.AddDbContext<StorageDb, SqliteStorageDb>(options => LogFailuresOnce(options.UseSqlite(connectionString)));
        }
        else
        {
            services.AddDbContext<StorageDb, PostgreSqlStorageDb>(options => LogFailuresOnce(options.UseNpgsql(database.ConnectionString)));
        }
        services.AddSingleton<DatabaseMaintenance>();
        return services;
    }

    /// <summary>
    /// A failed command reaches code that logs it with what EF Core cannot know: a request's error line (request id,
    /// tenant, route) or a worker's own line. EF Core's copies, without that, would be Error lines no request id finds.
    /// </summary>
    private static void LogFailuresOnce(DbContextOptionsBuilder options) => options.ConfigureWarnings(warnings => warnings.Log(
        (RelationalEventId.CommandError, LogLevel.Debug),
        (CoreEventId.QueryIterationFailed, LogLevel.Debug),
        (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
}
