using StorageApi.ObjectStores;

namespace StorageApi.Objects;

public static class ObjectsExtensions
{
    public static IServiceCollection AddObjects(this IServiceCollection services)
    {
        services.AddSingleton<Proxy.PublicUrls>();
        services.AddSingleton<ObjectStoreFactory>();
        services.AddSingleton<BlobStoreGuard>();
        services.AddScoped<BlobStore>();
        services.AddSingleton<LinkSigner>();
        services.AddScoped<UploadReceiver>();
        services.AddScoped<ObjectCatalog>();
        services.AddSingleton<ExpiredObjectSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<ExpiredObjectSweeper>());
        services.AddSingleton<OrphanSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<OrphanSweeper>());
        return services;
    }
}
