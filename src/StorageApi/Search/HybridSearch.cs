using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using StorageApi.Data;
using StorageApi.Objects;
using StorageApi.Errors;
using StorageApi.Search.Embeddings;
using StorageApi.Search.Keywords;
using StorageApi.Search.Vectors;

namespace StorageApi.Search;

/// <summary>
/// Search within one tenant: keyword matches (FTS) and nearest vectors (<see cref="VectorSearch"/>: exact, or a graph's candidates rescored exactly),
/// fused by reciprocal rank. Every step is keyed by the caller's tenant id, and results are read back from the
/// database filtered by it once more, so no other tenant's object can appear whatever the query.
/// </summary>
public sealed class HybridSearch(
    StorageDb db, IKeywordIndex keywords, VectorSetCatalog sets, TenantVectorIndexes indexes, VectorSearch vectorSearch, EmbeddingProviders providers,
    BlobStore blobs, TimeProvider clock, ILogger<HybridSearch> logger)
{
    /// <summary>How far down each list fusion looks: deeper than k, so an object ranked fairly in both lists can surface.</summary>
    public static int CandidateDepth(int k) => Math.Clamp(k * 2, 50, 200);

    public async Task<SearchResults> SearchAsync(string tenantId, SearchQuery query, CancellationToken cancellationToken)
    {
        var depth = CandidateDepth(query.K);
        var candidates = db.Objects.LiveOf(tenantId, Now).InCollection(query.Collection).OfContentType(query.ContentType);
        var keywordHits = await keywords.SearchAsync(tenantId, query.Text, candidates, depth, cancellationToken);

        IReadOnlyList<VectorHit> vectorHits = [];
        var vectors = await LoadVectorsAsync(tenantId, cancellationToken);
        var queryVector = vectors is null ? null : await EmbedAsync(vectors, query.Text, cancellationToken);
        if (vectors is not null && queryVector is not null)
        {
            Func<string, bool>? include = null;
            if (query.Collection is not null || query.ContentType is not null)
            {
                var allowed = (await candidates.Select(o => o.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
                include = allowed.Contains;
            }
            vectorHits = await NearestAsync(vectors, queryVector, depth, include, cancellationToken);
        }
        var fused = RankFusion.Fuse(keywordHits, vectorHits);
        return await ResultsAsync(tenantId, fused, query.K, queryVector is null ? null : vectors, h => h.Score, cancellationToken);
    }

    /// <summary>The tenant's objects nearest to one of its objects (404 for an id it does not own).</summary>
    public async Task<SearchResults> SimilarAsync(string tenantId, string objectId, int k, CancellationToken cancellationToken)
    {
        var stored = await db.Objects.AsNoTracking().LiveOf(tenantId, Now).SingleOrDefaultAsync(o => o.Id == objectId, cancellationToken)
            ?? throw new NotFoundException($"Object '{objectId}'");
        var vectors = await LoadVectorsAsync(tenantId, cancellationToken);
        if (vectors is null) return new SearchResults([], null);
        // Not embedded yet (just uploaded, or changed): embed its text now with the same embedder, as a query would be.
        var vector = await vectorSearch.FindAsync(vectors, objectId, cancellationToken);
        if (vector is null)
        {
            var document = await SearchDocument.ReadAsync(stored, blobs, cancellationToken);
            vector = await EmbedAsync(vectors, document.ForEmbedding(), cancellationToken)
                ?? throw new EmbedderUnavailableException(
                    $"Object '{objectId}' has no vector yet and {vectors.Embedder.Provider} could not embed it now; try again shortly.");
        }
        var hits = await NearestAsync(vectors, vector, k + 1, id => id != objectId, cancellationToken);
        var fused = RankFusion.Fuse([], hits);
        return await ResultsAsync(tenantId, fused, k, vectors, h => h.Similarity ?? 0, cancellationToken);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The tenant's active vectors, or null when it has none yet.</summary>
    private async Task<LoadedVectorSet?> LoadVectorsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var active = await sets.ActiveAsync(tenantId, cancellationToken);
        if (active?.Dimensions is null) return null;
        var loaded = await indexes.GetAsync(active, cancellationToken);
        return loaded.Index.Count == 0 ? null : loaded;
    }

    /// <summary>
    /// Nearest vectors in the tenant's set. A copy taken out of memory between loading and searching (idle, or replaced
    /// by the tenant's new set) is loaded again, once.
    /// </summary>
    private async Task<IReadOnlyList<VectorHit>> NearestAsync(LoadedVectorSet vectors, float[] query, int limit, Func<string, bool>? include,
        CancellationToken cancellationToken)
    {
        try
        {
            return await vectorSearch.SearchAsync(vectors, query, limit, EmbeddingProviders.MinimumSimilarity(vectors.Embedder), include, cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            var current = await LoadVectorsAsync(vectors.TenantId, cancellationToken);
            if (current is null || current.Embedder != vectors.Embedder || current.Index.Dimensions != query.Length) return [];
            return await vectorSearch.SearchAsync(current, query, limit, EmbeddingProviders.MinimumSimilarity(current.Embedder), include, cancellationToken);
        }
    }

    /// <summary>The text as a unit vector of the set's embedder, or null (logged) when that embedder cannot be reached.</summary>
    private async Task<float[]?> EmbedAsync(LoadedVectorSet vectors, string text, CancellationToken cancellationToken)
    {
        var generator = providers.Get(vectors.Embedder);
        if (generator is null)
        {
            logger.LogWarning("Tenant {TenantId}'s vectors were made by {Embedder}, which this instance cannot call; answering with keywords only until its rebuild is done",
                vectors.TenantId, vectors.Embedder);
            return null;
        }
        try
        {
            var embedding = await generator.GenerateVectorAsync(text, cancellationToken: cancellationToken);
            if (embedding.Length == vectors.Index.Dimensions) return VectorBlob.Normalized(embedding.Span);
            logger.LogWarning("{Embedder} returned {Length} dimensions for a query; tenant {TenantId}'s vectors have {Dimensions}",
                vectors.Embedder, embedding.Length, vectors.TenantId, vectors.Index.Dimensions);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = EmbeddingFailure.From(e, vectors.Embedder, providers.Redact);
            logger.LogWarning("Could not embed a query for tenant {TenantId}, answering with keywords only: {Error}", vectors.TenantId, failure.Message);
        }
        return null;
    }

    private async Task<SearchResults> ResultsAsync(string tenantId, IReadOnlyList<FusedHit> fused, int k, LoadedVectorSet? vectors,
        Func<FusedHit, double> score, CancellationToken cancellationToken)
    {
        var ids = fused.Select(h => h.ObjectId).ToList();
        var objects = await db.Objects.AsNoTracking().LiveOf(tenantId, Now).Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        var items = fused.Where(h => objects.ContainsKey(h.ObjectId)).Take(k).Select(h => new SearchHit(
                ObjectView.From(objects[h.ObjectId]),
                Math.Round(score(h), 6),
                h.VectorRank is { } vectorRank ? new VectorMatch(vectorRank, Math.Round(h.Similarity!.Value, 6)) : null,
                h.KeywordRank is { } keywordRank ? new KeywordMatch(keywordRank, Math.Round(h.KeywordScore!.Value, 6)) : null))
            .ToList();
        var embedder = vectors is null ? null : new SearchEmbedder(vectors.Embedder.Provider, vectors.Embedder.Model, vectors.Index.Dimensions);
        return new SearchResults(items, embedder);
    }
}
