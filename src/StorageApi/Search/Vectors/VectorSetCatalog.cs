using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Search.Embeddings;
using StorageApi.Search.Queue;

namespace StorageApi.Search.Vectors;

/// <summary>
/// The life of a tenant's vector sets. Search reads the active set. When the configured embedder (provider, endpoint,
/// model) differs from the one that made it, a building set is started and every object of the tenant is queued; search
/// keeps answering from the active set until nothing of the tenant waits, then the building set replaces it.
/// </summary>
public sealed class VectorSetCatalog(StorageDb db, EmbeddingQueue queue, StorageSettings settings, TimeProvider clock, ILogger<VectorSetCatalog> logger)
{
    private DateTime Now => clock.UtcNowStored();

    public Task<VectorSet?> ActiveAsync(string tenantId, CancellationToken cancellationToken) =>
        db.VectorSets.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId && s.State == VectorSet.Active, cancellationToken);

    /// <summary>Tenants being re-embedded (a dedicated instance sees its own only).</summary>
    public async Task<IReadOnlyList<string>> RebuildingAsync(CancellationToken cancellationToken) =>
        await db.VectorSets.Where(s => s.State == VectorSet.Building && (settings.TenantId == null || s.TenantId == settings.TenantId))
            .OrderBy(s => s.TenantId).Select(s => s.TenantId).ToListAsync(cancellationToken);

    public Task<bool> IsRebuildingAsync(string tenantId, CancellationToken cancellationToken) =>
        db.VectorSets.AnyAsync(s => s.TenantId == tenantId && s.State == VectorSet.Building, cancellationToken);

    /// <summary>
    /// The (tracked) set that new vectors of <paramref name="embedder"/> go to, made when missing. Starting a building set
    /// queues all the tenant's objects. Call inside a transaction.
    /// </summary>
    public async Task<VectorSet> WritableAsync(string tenantId, EmbedderIdentity embedder, CancellationToken cancellationToken)
    {
        var sets = await db.VectorSets.Where(s => s.TenantId == tenantId).ToListAsync(cancellationToken);
        var active = sets.SingleOrDefault(s => s.State == VectorSet.Active);
        var building = sets.SingleOrDefault(s => s.State == VectorSet.Building);
        if (active is null)
            return await AddAsync(tenantId, VectorSet.Active, embedder, cancellationToken);
        if (embedder.Matches(active))
        {
            if (building is not null)
            {
                // The configuration went back to the active embedder: the half-built set is of no use.
                db.VectorSets.Remove(building);
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Abandoned the rebuild of tenant {TenantId} with {Embedder}: {Active} is configured again",
                    tenantId, EmbedderIdentity.Of(building), embedder);
            }
            return active;
        }
        if (building is not null && embedder.Matches(building)) return building;
        if (building is not null)
        {
            db.VectorSets.Remove(building);
            await db.SaveChangesAsync(cancellationToken);
        }
        building = await AddAsync(tenantId, VectorSet.Building, embedder, cancellationToken);
        var queued = await queue.EnqueueTenantAsync(tenantId, cancellationToken);
        logger.LogInformation(
            "Re-embedding tenant {TenantId} with {Embedder} (its vectors were made by {Previous}): {Queued} objects queued; search answers from the old vectors until all are done",
            tenantId, embedder, EmbedderIdentity.Of(active), queued);
        return building;
    }

    /// <summary>Makes the tenant's building set active once nothing of the tenant waits in the queue; true when it switched.</summary>
    public async Task<bool> TryPromoteAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!await IsRebuildingAsync(tenantId, cancellationToken)) return false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var building = await db.VectorSets.SingleOrDefaultAsync(s => s.TenantId == tenantId && s.State == VectorSet.Building, cancellationToken);
        if (building is null || await queue.AnyForTenantAsync(tenantId, cancellationToken)) return false;
        var previous = await db.VectorSets.SingleOrDefaultAsync(s => s.TenantId == tenantId && s.State == VectorSet.Active, cancellationToken);
        if (previous is not null)
        {
            db.VectorSets.Remove(previous); // its vectors go with it (cascade)
            await db.SaveChangesAsync(cancellationToken);
        }
        building.State = VectorSet.Active;
        building.ActivatedAt = Now;
        building.Revision++;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Tenant {TenantId} now searches with {Embedder}; the vectors of {Previous} were removed",
            tenantId, EmbedderIdentity.Of(building), previous is null ? "nothing" : EmbedderIdentity.Of(previous));
        return true;
    }

    /// <summary>At start: every tenant whose vectors were made by another embedder starts (or finishes) its rebuild.</summary>
    public async Task<IReadOnlyList<string>> ReconcileAsync(EmbedderIdentity embedder, CancellationToken cancellationToken)
    {
        var tenants = await db.VectorSets.Where(s => settings.TenantId == null || s.TenantId == settings.TenantId)
            .Select(s => s.TenantId).Distinct().ToListAsync(cancellationToken);
        foreach (var tenantId in tenants)
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                await WritableAsync(tenantId, embedder, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            db.ChangeTracker.Clear();
            await TryPromoteAsync(tenantId, cancellationToken);
        }
        return tenants;
    }

    private async Task<VectorSet> AddAsync(string tenantId, string state, EmbedderIdentity embedder, CancellationToken cancellationToken)
    {
        var set = new VectorSet
        {
            TenantId = tenantId, State = state, Provider = embedder.Provider, Endpoint = embedder.Endpoint, Model = embedder.Model,
            CreatedAt = Now, ActivatedAt = state == VectorSet.Active ? Now : null,
        };
        db.VectorSets.Add(set);
        await db.SaveChangesAsync(cancellationToken);
        return set;
    }
}
