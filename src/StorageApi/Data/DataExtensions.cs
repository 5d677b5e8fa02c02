using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using StorageApi.Configuration;
using StorageApi.Objects;

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
            services.AddDbContext<StorageDb, SqliteStorageDb>((provider, options) => Configure(provider, options.UseSqlite(connectionString)), optionsLifetime: ServiceLifetime.Singleton);
        }
        else
        {
            services.AddDbContext<StorageDb, PostgreSqlStorageDb>((provider, options) => Configure(provider, options.UseNpgsql(database.ConnectionString)), optionsLifetime: ServiceLifetime.Singleton);
        }
        services.AddSingleton<DatabaseMaintenance>();
        services.AddChangeWatchedCache<ObjectContentCache>();
        services.AddSingleton<ObjectChangeStamp>();
        services.AddHostedService<ChangeWatcher>();
        return services;
    }

    /// <summary>A cache that <see cref="ChangeWatcher"/> keeps fresh; one instance per service, asked for by its type.</summary>
    public static IServiceCollection AddChangeWatchedCache<TCache>(this IServiceCollection services) where TCache : class, IChangeWatchedCache
    {
        services.AddSingleton<TCache>();
        services.AddSingleton<IChangeWatchedCache>(provider => provider.GetRequiredService<TCache>());
        return services;
    }

    /// <summary>Built once (singleton options): built per request, the warnings configuration alone sorted a dictionary on every GET.</summary>
    private static void Configure(IServiceProvider provider, DbContextOptionsBuilder options) =>
        LogFailuresOnce(options.AddInterceptors(provider.GetRequiredService<ObjectChangeStamp>()));

    /// <summary>
    /// A failed command reaches code that logs it with what EF Core cannot know: a request's error line (request id,
    /// tenant, route) or a worker's own line. EF Core's copies, without that, would be Error lines no request id finds.
    /// </summary>
    private static void LogFailuresOnce(DbContextOptionsBuilder options) => options.ConfigureWarnings(warnings => warnings.Log(
        (RelationalEventId.CommandError, LogLevel.Debug),
        (CoreEventId.QueryIterationFailed, LogLevel.Debug),
        (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
}
