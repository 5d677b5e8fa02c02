using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageApi.Data;
using StorageApi.Search.Embeddings;
using StorageApi.Search.Vectors.Graph;

namespace StorageApi.Search.Vectors;

/// <summary>
/// Reads a tenant's active vector set into memory: exact below <see cref="SearchOptions.GraphThreshold"/> objects; above
/// it, the graph saved beside the database, brought up to the database's revision by <see cref="RepairAsync"/>. A large
/// tenant without a usable saved graph is loaded exact, and <see cref="TenantVectorIndexes"/> builds its graph meanwhile.
/// </summary>
public sealed class VectorSetLoader(IServiceScopeFactory scopes, GraphIndexFiles files, IOptions<SearchOptions> options, TimeProvider clock,
    ILogger<VectorSetLoader> logger)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<LoadedVectorSet> LoadAsync(VectorSet active, CancellationToken cancellationToken)
    {
        // The revision was read before the vectors: a change committed meanwhile makes the copy look older than it is,
        // which costs at most one more repair or load, never a stale answer.
        var started = Stopwatch.StartNew();
        var embedder = EmbedderIdentity.Of(active);
        var dimensions = active.Dimensions ?? 1;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var count = await Vectors(db, active).CountAsync(cancellationToken);
        // A graph saved when the tenant was larger stays: read again (and repaired) if it grows back, and an instance
        // with another threshold on the same data (a deploy's other slot) may be using it.
        if (count < options.Value.GraphThreshold) return await LoadExactAsync(db, active, started, cancellationToken);
        files.RemoveOthers(active.TenantId, active.Id, embedder, dimensions);
        if (files.TryLoad(active.TenantId, active.Id, embedder, dimensions) is not { } saved)
            return await LoadExactAsync(db, active, started, cancellationToken);
        var loaded = new LoadedVectorSet(active.TenantId, active.Id, embedder, saved.Index, saved.Revision, Now);
        int repaired;
        try
        {
            repaired = saved.Revision == active.Revision ? 0 : await RepairAsync(db, saved.Index, active, cancellationToken);
        }
        catch
        {
            saved.Index.Dispose(); // its native memory is not the garbage collector's
            throw;
        }
        loaded.Repaired(active.Revision, Now);
        logger.LogInformation("Loaded the vector graph of tenant {TenantId} ({Count} objects, {Embedder}) in {Milliseconds} ms; {Repaired} objects repaired from the database (saved at revision {Saved}, database at {Revision})",
            active.TenantId, saved.Index.Count, embedder, started.ElapsedMilliseconds, repaired, saved.Revision, active.Revision);
        return loaded;
    }

    /// <summary>The tenant's active set as the database has it now, or null.</summary>
    public async Task<VectorSet?> ActiveAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VectorSetCatalog>().ActiveAsync(tenantId, cancellationToken);
    }

    /// <summary>
    /// Brings a graph in line with the database, which is the source of truth: vectors it lacks or holds in another
    /// version are added again, objects the database no longer has are removed. Returns how many objects changed.
    /// </summary>
    public async Task<int> RepairAsync(GraphVectorIndex graph, VectorSet active, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await RepairAsync(scope.ServiceProvider.GetRequiredService<StorageDb>(), graph, active, cancellationToken);
    }

    private async Task<int> RepairAsync(StorageDb db, GraphVectorIndex graph, VectorSet active, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var changed = 0;
        await foreach (var row in Vectors(db, active).Select(v => new { v.ObjectId, v.Vector }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (row.Vector.Length != graph.Dimensions * sizeof(float)) continue;
            seen.Add(row.ObjectId);
            if (graph.VectorHashOf(row.ObjectId) == GraphKeys.OfVectorBlob(row.Vector)) continue;
            graph.Upsert(row.ObjectId, VectorBlob.ToFloats(row.Vector));
            changed++;
        }
        return changed + graph.RemoveAllBut(seen);
    }

    private async Task<LoadedVectorSet> LoadExactAsync(StorageDb db, VectorSet active, Stopwatch started, CancellationToken cancellationToken)
    {
        var dimensions = active.Dimensions ?? 1;
        var index = new VectorIndex(dimensions);
        var skipped = 0;
        await foreach (var row in Vectors(db, active).Select(v => new { v.ObjectId, v.Vector }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (row.Vector.Length != dimensions * sizeof(float)) skipped++;
            else index.Upsert(row.ObjectId, VectorBlob.ToFloats(row.Vector));
        }
        if (skipped > 0) logger.LogWarning("Skipped {Skipped} vectors of tenant {TenantId} whose length is not {Dimensions} dimensions", skipped, active.TenantId, dimensions);
        logger.LogInformation("Loaded {Count} vectors of tenant {TenantId} ({Embedder}) in {Milliseconds} ms",
            index.Count, active.TenantId, EmbedderIdentity.Of(active), started.ElapsedMilliseconds);
        return new LoadedVectorSet(active.TenantId, active.Id, EmbedderIdentity.Of(active), index, active.Revision, Now);
    }

    private static IQueryable<ObjectVector> Vectors(StorageDb db, VectorSet active) =>
        db.ObjectVectors.AsNoTracking().Where(v => v.TenantId == active.TenantId && v.SetId == active.Id);
}
