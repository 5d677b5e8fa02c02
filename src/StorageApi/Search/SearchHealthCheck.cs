using Microsoft.Extensions.Diagnostics.HealthChecks;
using StorageApi.Search.Embeddings;
using StorageApi.Search.Queue;
using StorageApi.Search.Vectors;

namespace StorageApi.Search;

/// <summary>
/// The embedding queue in /health: how many objects wait, for how long, and the last provider error. Degraded while
/// entries fail, never unhealthy: a provider outage slows search updates but the instance still serves, so it is not
/// part of readiness.
/// </summary>
public sealed class SearchHealthCheck(EmbeddingQueue queue, VectorSetCatalog sets, EmbeddingProviders providers, TenantVectorIndexes indexes, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        EmbeddingQueueStats stats;
        IReadOnlyList<string> rebuilding;
        try
        {
            stats = await queue.StatsAsync(cancellationToken);
            rebuilding = await sets.RebuildingAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // e.g. before 'storage-api migrate' has created the table: the migrations check already says so
            return HealthCheckResult.Degraded($"cannot read the embedding queue: {e.Message}");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var oldestAge = stats.OldestEnqueuedAt is { } oldest ? Math.Max(0, Math.Round((now - oldest).TotalSeconds, 1)) : 0;
        var (tenants, vectors, bytes, graphs) = indexes.Totals();
        var data = new Dictionary<string, object>
        {
            ["waiting"] = stats.Waiting,
            ["failing"] = stats.Failing,
            ["oldestAgeSeconds"] = oldestAge,
            ["embedder"] = providers.Configured.ToString(),
            ["rebuilding"] = rebuilding,
            ["tenantsInMemory"] = tenants,
            ["vectorsInMemory"] = vectors,
            ["vectorBytesInMemory"] = bytes,
            ["tenantsOnGraph"] = graphs,
        };
        if (stats.LastError is not null)
        {
            data["lastError"] = stats.LastError;
            data["lastErrorAt"] = stats.LastErrorAt!;
        }
        var description = $"{stats.Waiting} waiting";
        if (stats.Waiting > 0) description += $" (oldest {oldestAge:0.#} s)";
        if (stats.Failing > 0) description += $", {stats.Failing} failing: {stats.LastError}";
        description += $"; embedder {providers.Configured}";
        if (rebuilding.Count > 0) description += $"; re-embedding {rebuilding.Count} tenant(s)";
        return stats.Failing > 0 ? HealthCheckResult.Degraded(description, data: data) : HealthCheckResult.Healthy(description, data);
    }
}
