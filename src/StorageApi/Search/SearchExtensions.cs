using StorageApi.Search.Embeddings;
using StorageApi.Search.Keywords;
using StorageApi.Search.Queue;
using StorageApi.Search.Vectors;

namespace StorageApi.Search;

public static class SearchExtensions
{
    public const string HealthCheckName = "embeddingQueue";

    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddOptions<SearchOptions>();
        services.AddSingleton<EmbeddingProviders>();
        services.AddSingleton<Vectors.Graph.GraphIndexFiles>();
        services.AddSingleton<VectorSetLoader>();
        services.AddSingleton<TenantVectorIndexes>();
        services.AddHostedService<VectorIndexHousekeeping>();
        services.AddSingleton<EmbeddingQueueSignal>();
        services.AddScoped<IKeywordIndex>(provider => provider.GetRequiredService<Configuration.StorageSettings>().Database.Provider == Configuration.DatabaseProvider.Sqlite
            ? new SqliteKeywordIndex(provider.GetRequiredService<Data.StorageDb>())
            : new PostgreSqlKeywordIndex(provider.GetRequiredService<Data.StorageDb>()));
        services.AddScoped<EmbeddingQueue>();
        services.AddScoped<VectorSetCatalog>();
        services.AddScoped<BatchEmbedder>();
        services.AddScoped<SearchIndexing>();
        services.AddScoped<VectorSearch>();
        services.AddScoped<HybridSearch>();
        services.AddSingleton<EmbeddingWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<EmbeddingWorker>());
        // Not tagged for readiness: a waiting or failing queue must not take the instance out of rotation.
        services.AddHealthChecks().AddCheck<SearchHealthCheck>(HealthCheckName);
        return services;
    }
}
