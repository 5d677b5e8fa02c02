using System.Numerics.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using StorageApi.Search.Vectors;
using StorageApi.Search.Vectors.Graph;

namespace StorageApi.Tests.Search;

/// <summary>The HNSW graph through the real USearch library: its answers against an exact scan, filters, changes, files.</summary>
public sealed class HnswGraphTests
{
    private const int Dimensions = 64;

    [Fact]
    public void Its_nearest_ten_are_the_exact_scans_nearest_ten_for_nearly_every_query()
    {
        var (ids, vectors) = RandomVectors(3_000, seed: 1);
        using var graph = Graph(ids, vectors);
        var exact = new VectorIndex(Dimensions);
        for (var i = 0; i < ids.Length; i++) exact.Upsert(ids[i], vectors[i]);

        var (_, queries) = RandomVectors(100, seed: 2);
        var overlap = queries.Sum(q =>
        {
            var expected = exact.Search(q, 10).Select(h => h.ObjectId).ToHashSet();
            var candidates = graph.Candidates(q, VectorSearch.CandidatesFor(10));
            return ExactRescoring.Rescore(q, candidates.Select(id => (id, vectors[Array.IndexOf(ids, id)])), 10, float.NegativeInfinity)
                .Count(h => expected.Contains(h.ObjectId));
        });
        (overlap / 1000.0).ShouldBeGreaterThanOrEqualTo(0.95);
    }

    [Fact]
    public void A_filter_is_asked_during_the_walk_so_a_narrow_one_still_fills_the_answer()
    {
        var (ids, vectors) = RandomVectors(2_000, seed: 3);
        using var graph = Graph(ids, vectors);
        var allowed = ids.Where((_, i) => i % 20 == 0).ToHashSet(); // 5 %

        var candidates = graph.Candidates(vectors[7], 30, allowed.Contains);

        candidates.Count.ShouldBe(30);
        candidates.ShouldAllBe(id => allowed.Contains(id));
    }

    [Fact]
    public void Upserts_replace_a_vector_and_removals_take_it_out()
    {
        var (ids, vectors) = RandomVectors(500, seed: 4);
        using var graph = Graph(ids, vectors);

        graph.Upsert(ids[0], vectors[1]); // now a twin of ids[1]
        graph.Candidates(vectors[1], 2).ShouldBe([ids[0], ids[1]], ignoreOrder: true);
        graph.Count.ShouldBe(500);
        graph.VectorHashOf(ids[0]).ShouldBe(GraphKeys.OfVector(vectors[1]));

        graph.Remove(ids[1]).ShouldBeTrue();
        graph.Remove(ids[1]).ShouldBeFalse();
        graph.Candidates(vectors[1], 5).ShouldNotContain(ids[1]);
        graph.Count.ShouldBe(499);
        graph.IsConsistent.ShouldBeTrue();
    }

    [Fact]
    public void A_saved_graph_loads_with_the_same_answers_and_refuses_other_dimensions()
    {
        using var folder = new TempFolder();
        var (ids, vectors) = RandomVectors(1_000, seed: 5);
        var path = Path.Combine(folder.Path, "graph.usearch");
        IReadOnlyList<string> before;
        IReadOnlyList<GraphEntry> entries;
        using (var graph = Graph(ids, vectors))
        {
            before = graph.Candidates(vectors[3], 20);
            entries = graph.Save(path);
        }

        using var loaded = new GraphVectorIndex(HnswGraph.Load(path, Dimensions), entries, NullLogger.Instance);
        loaded.IsConsistent.ShouldBeTrue();
        loaded.Candidates(vectors[3], 20).ShouldBe(before);
        Should.Throw<GraphIndexException>(() => HnswGraph.Load(path, Dimensions * 2)).Message.ShouldContain("64 dimensions");
    }

    [Fact]
    public void Calls_after_dispose_fail_cleanly_instead_of_reaching_freed_memory()
    {
        var (ids, vectors) = RandomVectors(10, seed: 6);
        var graph = Graph(ids, vectors);
        graph.Dispose();
        Should.Throw<ObjectDisposedException>(() => graph.Candidates(vectors[0], 3));
        Should.Throw<ObjectDisposedException>(() => graph.Upsert(ids[0], vectors[0]));
    }

    [Fact]
    public void The_library_loads_on_this_machine()
    {
        GraphLibrary.LoadProblem().ShouldBeNull();
    }

    private static GraphVectorIndex Graph(string[] ids, float[][] vectors)
    {
        var graph = new GraphVectorIndex(HnswGraph.Create(Dimensions), NullLogger.Instance);
        Parallel.For(0, ids.Length, i => graph.Upsert(ids[i], vectors[i]));
        return graph;
    }

    private static (string[] Ids, float[][] Vectors) RandomVectors(int count, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = new float[Dimensions];
            for (var d = 0; d < Dimensions; d++) vectors[i][d] = (float)(random.NextDouble() * 2 - 1);
            TensorPrimitives.Divide(vectors[i], TensorPrimitives.Norm(vectors[i]), vectors[i]);
        }
        return ([.. Enumerable.Range(0, count).Select(i => $"obj_{seed}_{i:d5}")], vectors);
    }
}
