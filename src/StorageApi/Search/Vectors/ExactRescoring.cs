using System.Numerics.Tensors;

namespace StorageApi.Search.Vectors;

/// <summary>
/// The last step of an approximate search: the candidates' exact similarity, from their stored float32 vectors, decides
/// their order and the minimum similarity, so an answer differs from an exact scan's only by a neighbour the graph missed.
/// </summary>
public static class ExactRescoring
{
    public static IReadOnlyList<VectorHit> Rescore(ReadOnlySpan<float> query, IEnumerable<(string ObjectId, float[] Vector)> candidates,
        int limit, float minimumSimilarity)
    {
        var hits = new List<VectorHit>();
        foreach (var (objectId, vector) in candidates)
        {
            if (vector.Length != query.Length) continue;
            var similarity = TensorPrimitives.Dot(query, vector);
            if (similarity >= minimumSimilarity) hits.Add(new VectorHit(objectId, similarity));
        }
        return [.. hits.OrderByDescending(h => h.Similarity).ThenBy(h => h.ObjectId, StringComparer.Ordinal).Take(limit)];
    }
}
