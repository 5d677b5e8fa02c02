using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using StorageApi.Data;
using StorageApi.Objects;
using StorageApi.Search.Embeddings;
using StorageApi.Search.Keywords;
using StorageApi.Search.Vectors;

namespace StorageApi.Search.Queue;

/// <summary>
/// Embeds one batch of queue entries (all of one tenant) in a single provider request, then stores the vectors and the
/// keyword texts and removes the entries in one transaction.
/// </summary>
public sealed class BatchEmbedder(
    StorageDb db, EmbeddingQueue queue, VectorSetCatalog sets, IKeywordIndex keywords, BlobStore blobs,
    EmbeddingProviders providers, TenantVectorIndexes indexes, TimeProvider clock)
{
    /// <summary>Null when the batch is done, else why the provider call failed (nothing was stored).</summary>
    public async Task<EmbeddingFailure?> RunAsync(IReadOnlyList<EmbeddingQueueEntry> entries, CancellationToken cancellationToken)
    {
        var tenantId = entries[0].TenantId;
        if (entries.Any(e => e.TenantId != tenantId)) throw new ArgumentException("a batch holds entries of one tenant", nameof(entries));
        var ids = entries.Select(e => e.ObjectId).ToList();
        var objects = await db.Objects.AsNoTracking().Where(o => o.TenantId == tenantId && ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        var work = new List<(EmbeddingQueueEntry Entry, SearchDocument Document)>();
        foreach (var entry in entries)
            if (objects.TryGetValue(entry.ObjectId, out var stored)) work.Add((entry, await SearchDocument.ReadAsync(stored, blobs, cancellationToken)));
        if (work.Count == 0) return null; // deleted meanwhile; their entries went with them

        var embedder = providers.Configured;
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            embeddings = await providers.ConfiguredGenerator.GenerateAsync([.. work.Select(w => w.Document.ForEmbedding())], cancellationToken: cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return EmbeddingFailure.From(e, embedder, providers.Redact);
        }
        if (embeddings.Count != work.Count)
            return new EmbeddingFailure(EmbeddingFailureKind.Transient, $"{embedder} returned {embeddings.Count} vectors for {work.Count} texts");
        var vectors = embeddings.Select(e => VectorBlob.Normalized(e.Vector.Span)).ToList();
        var dimensions = vectors[0].Length;
        if (dimensions == 0 || vectors.Any(v => v.Length != dimensions))
            return new EmbeddingFailure(EmbeddingFailureKind.Transient, $"{embedder} returned vectors of differing or zero lengths");

        return await StoreAsync(tenantId, embedder, work, vectors, dimensions, cancellationToken);
    }

    private async Task<EmbeddingFailure?> StoreAsync(string tenantId, EmbedderIdentity embedder,
        List<(EmbeddingQueueEntry Entry, SearchDocument Document)> work, List<float[]> vectors, int dimensions, CancellationToken cancellationToken)
    {
        var now = clock.UtcNowStored();
        var stored = new List<(string ObjectId, float[] Vector)>();
        VectorSet set;
        await using (var unit = await UnitOfWork.BeginAsync(db, cancellationToken))
        {
            set = await sets.WritableAsync(tenantId, embedder, cancellationToken);
            if (set.Dimensions is { } expected && expected != dimensions)
                return new EmbeddingFailure(EmbeddingFailureKind.Refused,
                    $"{embedder} now returns {dimensions} dimensions, but the tenant's vectors from it have {expected}; if the model changed, name it differently in EMBEDDING_MODEL so the tenant is re-embedded");
            set.Dimensions = dimensions;

            var ids = work.Select(w => w.Entry.ObjectId).ToList();
            var existing = await db.ObjectVectors.Where(v => v.TenantId == tenantId && v.SetId == set.Id && ids.Contains(v.ObjectId))
                .ToDictionaryAsync(v => v.ObjectId, cancellationToken);
            for (var i = 0; i < work.Count; i++)
            {
                var (entry, document) = work[i];
                // An entry that changed or vanished since it was read asks for newer text (or nothing): store nothing for it.
                // Its object exists if its entry did: entries go with their objects (cascade).
                if (!await queue.CompleteAsync(entry, cancellationToken)) continue;
                var blob = VectorBlob.ToBytes(vectors[i]);
                if (existing.TryGetValue(entry.ObjectId, out var row))
                {
                    row.Vector = blob;
                    row.EmbeddedAt = now;
                }
                else
                {
                    db.ObjectVectors.Add(new ObjectVector { TenantId = tenantId, SetId = set.Id, ObjectId = entry.ObjectId, Vector = blob, EmbeddedAt = now });
                }
                await keywords.UpsertAsync(document, cancellationToken);
                stored.Add((entry.ObjectId, vectors[i]));
            }
            if (stored.Count > 0) set.Revision++;
            await db.SaveChangesAsync(cancellationToken);
            if (set.State == VectorSet.Active && stored.Count > 0)
                unit.AfterCommit(() => indexes.Apply(tenantId, set.Id, set.Revision, index =>
                {
                    foreach (var (objectId, vector) in stored) index.Upsert(objectId, vector);
                }));
            await unit.CommitAsync(cancellationToken);
        }
        return null;
    }
}
