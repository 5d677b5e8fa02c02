namespace StorageApi.Health;

public static class HealthExtensions
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<InstanceInfo>();
        string[] ready = [HealthApi.ReadyTag];
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: ready)
            .AddCheck<MigrationsCheck>("migrations", tags: ready)
            .AddCheck<DataDirectoryCheck>("dataDirectory", tags: ready)
            .AddCheck<FreeDiskCheck>("freeDisk", tags: ready)
            .AddCheck<BlobStoreCheck>("blobStore", tags: ready);
        return services;
    }
}
