using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using StorageApi.Data;
using StorageApi.Search.Embeddings;

namespace StorageApi.Search.Vectors;

/// <summary>
/// The in-memory vector indexes, one per tenant, keyed by tenant id: a lookup for one tenant can only reach that tenant's
/// vectors. An index is loaded from the database on its tenant's first search and kept up to date by this process's
/// writes; a revision stored with the set tells when someone else changed it, and the index is then loaded again.
/// </summary>
public sealed class TenantVectorIndexes(IServiceScopeFactory scopes, ILogger<TenantVectorIndexes> logger)
{
    private readonly ConcurrentDictionary<string, LoadedVectorSet> _byTenant = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _loading = new(StringComparer.Ordinal);

    /// <summary>The in-memory copy of <paramref name="active"/> (the tenant's active set as just read from the database).</summary>
    public async Task<LoadedVectorSet> GetAsync(VectorSet active, CancellationToken cancellationToken)
    {
        if (_byTenant.TryGetValue(active.TenantId, out var loaded) && loaded.IsCurrentFor(active)) return loaded;
        var gate = _loading.GetOrAdd(active.TenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_byTenant.TryGetValue(active.TenantId, out loaded) && loaded.IsCurrentFor(active)) return loaded;
            loaded = await LoadAsync(active, cancellationToken);
            _byTenant[active.TenantId] = loaded;
            return loaded;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Applies a committed change of a tenant's active set, or drops the tenant's copy when it cannot follow.</summary>
    public void Apply(string tenantId, long setId, long revision, Action<VectorIndex> change)
    {
        if (!_byTenant.TryGetValue(tenantId, out var loaded)) return; // not loaded: the next search reads the database
        bool applied;
        try
        {
            applied = loaded.SetId == setId && loaded.TryApply(revision, change);
        }
        catch (ArgumentException e)
        {
            // e.g. the first vectors of a set loaded while it had none, with other dimensions than assumed
            logger.LogDebug(e, "Reloading the vectors of tenant {TenantId}", tenantId);
            applied = false;
        }
        if (!applied) _byTenant.TryRemove(new KeyValuePair<string, LoadedVectorSet>(tenantId, loaded));
    }

    /// <summary>Tenants and vectors held in memory, for /health.</summary>
    public (int Tenants, long Vectors, long Bytes) Totals()
    {
        var sets = _byTenant.Values.ToList();
        return (sets.Count, sets.Sum(s => (long)s.Index.Count), sets.Sum(s => s.Index.VectorBytes));
    }

    private async Task<LoadedVectorSet> LoadAsync(VectorSet active, CancellationToken cancellationToken)
    {
        // The revision was read before the vectors: a change committed meanwhile makes the copy look older than it is,
        // which costs at most one more load, never a stale answer.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var dimensions = active.Dimensions ?? 1;
        var index = new VectorIndex(dimensions);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var skipped = 0;
        await foreach (var row in db.ObjectVectors.AsNoTracking()
                           .Where(v => v.TenantId == active.TenantId && v.SetId == active.Id)
                           .Select(v => new { v.ObjectId, v.Vector })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (row.Vector.Length != dimensions * sizeof(float)) skipped++;
            else index.Upsert(row.ObjectId, VectorBlob.ToFloats(row.Vector));
        }
        if (skipped > 0) logger.LogWarning("Skipped {Skipped} vectors of tenant {TenantId} whose length is not {Dimensions} dimensions", skipped, active.TenantId, dimensions);
        logger.LogInformation("Loaded {Count} vectors of tenant {TenantId} ({Embedder}) in {Milliseconds} ms",
            index.Count, active.TenantId, EmbedderIdentity.Of(active), started.ElapsedMilliseconds);
        return new LoadedVectorSet(active.TenantId, active.Id, EmbedderIdentity.Of(active), index, active.Revision);
    }
}
