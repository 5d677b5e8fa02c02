using StorageApi.Backups;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Health;
using StorageApi.Objects;
using StorageApi.RateLimiting;
using StorageApi.Search;
using StorageApi.Tenancy;
using StorageApi.WriteHolds;

namespace StorageApi;

/// <summary>What the service is made of, registered once for the HTTP server and the admin verbs alike.</summary>
public static class StorageServices
{
    public static IServiceCollection AddStorageServices(this IServiceCollection services, StorageSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddStorageData(settings);
        services.AddTenancy();
        services.AddObjects();
        services.AddSearch();
        services.AddRateLimits();
        services.AddHealth();
        services.AddWriteHolds();
        services.AddBackups(settings);
        return services;
    }
}
