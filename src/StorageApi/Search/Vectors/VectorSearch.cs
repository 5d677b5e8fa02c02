using Microsoft.EntityFrameworkCore;
using StorageApi.Data;
using StorageApi.Search.Vectors.Graph;

namespace StorageApi.Search.Vectors;

/// <summary>
/// Nearest vectors within a tenant's loaded set. The exact index answers alone. The graph proposes candidates (a few
/// more than asked for, since its int8 similarities can misorder close ones); their stored float32 vectors are read
/// from the database, which stays the source of truth, and rescored exactly.
/// </summary>
public sealed class VectorSearch(StorageDb db)
{
    /// <summary>
    /// How many candidates the graph proposes for <paramref name="limit"/> results: a quarter more, since their int8
    /// similarity can misorder close ones. More did not raise recall: the graph's walk (its expansion) decides what it finds.
    /// </summary>
    public static int CandidatesFor(int limit) => Math.Max(limit + limit / 4, 64);

    public async Task<IReadOnlyList<VectorHit>> SearchAsync(LoadedVectorSet vectors, float[] query, int limit, float minimumSimilarity,
        Func<string, bool>? include, CancellationToken cancellationToken)
    {
        switch (vectors.Index)
        {
            case VectorIndex exact:
                return exact.Search(query, limit, minimumSimilarity, include);
            case GraphVectorIndex graph:
                var candidates = graph.Candidates(query, CandidatesFor(limit), include);
                var stored = await StoredAsync(vectors, candidates, cancellationToken);
                return ExactRescoring.Rescore(query, stored, limit, minimumSimilarity);
            default:
                throw new InvalidOperationException($"unknown index {vectors.Index.GetType().Name}");
        }
    }

    /// <summary>The stored vector of one object of the set, or null when it has none yet.</summary>
    public async Task<float[]?> FindAsync(LoadedVectorSet vectors, string objectId, CancellationToken cancellationToken) =>
        vectors.Index is VectorIndex exact
            ? exact.Find(objectId)
            : (await StoredAsync(vectors, [objectId], cancellationToken)).Select(v => v.Vector).SingleOrDefault();

    private async Task<List<(string ObjectId, float[] Vector)>> StoredAsync(LoadedVectorSet vectors, IReadOnlyList<string> objectIds,
        CancellationToken cancellationToken)
    {
        if (objectIds.Count == 0) return [];
        var rows = await db.ObjectVectors.AsNoTracking()
            .Where(v => v.TenantId == vectors.TenantId && v.SetId == vectors.SetId && objectIds.Contains(v.ObjectId))
            .Select(v => new { v.ObjectId, v.Vector })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.ObjectId, VectorBlob.ToFloats(r.Vector)))];
    }
}
