namespace StorageApi.Search.Vectors.Graph;

/// <summary>
/// Builds a tenant's graph from its exact index while the exact index goes on answering searches and taking changes:
/// rows are copied a batch at a time under the index's read lock and inserted outside it. Whatever changed meanwhile is
/// caught up at the end, while changes are held, before the graph replaces the exact index.
/// </summary>
public static class GraphBuilder
{
    private const int Batch = 1024;

    public static GraphVectorIndex Build(VectorIndex exact, int threads, ILogger logger, CancellationToken cancellationToken)
    {
        var graph = new GraphVectorIndex(HnswGraph.Create(exact.Dimensions), logger);
        try
        {
            for (var from = 0; from < exact.Count; from += Batch * threads)
            {
                var ids = new List<string>(Batch * threads);
                var vectors = new List<float[]>(Batch * threads);
                exact.ForEach((id, vector) => { ids.Add(id); vectors.Add(vector.ToArray()); }, from, Batch * threads);
                Parallel.For(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
                    i => graph.Upsert(ids[i], vectors[i]));
            }
            return graph;
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>Makes the graph hold exactly the exact index's vectors; call while changes are held. Returns how many objects changed.</summary>
    public static int CatchUp(VectorIndex exact, GraphVectorIndex graph)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var changed = 0;
        exact.ForEach((id, vector) =>
        {
            seen.Add(id);
            if (graph.VectorHashOf(id) == GraphKeys.OfVector(vector)) return;
            graph.Upsert(id, vector);
            changed++;
        });
        return changed + graph.RemoveAllBut(seen);
    }
}
