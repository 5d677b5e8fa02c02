using System.Numerics.Tensors;
using StorageApi.Search.Vectors;

namespace StorageApi.Tests.Search;

/// <summary>The exact index against a plain loop: same hits, in the same order, through upserts, removals and the parallel scan.</summary>
public sealed class VectorIndexTests
{
    private static float[] RandomUnit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++) vector[i] = (float)(random.NextDouble() * 2 - 1);
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    [Theory]
    [InlineData(500)]     // one core
    [InlineData(40_000)]  // split across cores
    public void Search_returns_exactly_the_best_vectors_after_upserts_and_removals(int count)
    {
        var random = new Random(count);
        var index = new VectorIndex(32);
        var vectors = new Dictionary<string, float[]>();
        for (var i = 0; i < count; i++) vectors[$"obj_{i}"] = RandomUnit(random, 32);
        foreach (var (id, vector) in vectors) index.Upsert(id, vector);
        foreach (var id in vectors.Keys.Where((_, i) => i % 3 == 0).ToList())
        {
            index.Remove(id).ShouldBeTrue();
            vectors.Remove(id);
        }
        foreach (var id in vectors.Keys.Where((_, i) => i % 5 == 0).ToList())
        {
            vectors[id] = RandomUnit(random, 32);
            index.Upsert(id, vectors[id]);
        }

        var query = RandomUnit(random, 32);
        var hits = index.Search(query, 25);
        var expected = vectors.Select(v => (Id: v.Key, Similarity: TensorPrimitives.Dot(query, v.Value)))
            .OrderByDescending(v => v.Similarity).Take(25).ToList();

        index.Count.ShouldBe(vectors.Count);
        hits.Select(h => h.ObjectId).ShouldBe(expected.Select(e => e.Id));
        hits.Select(h => h.Similarity).ShouldBe(expected.Select(e => e.Similarity));
        index.Find(expected[0].Id).ShouldBe(vectors[expected[0].Id]);
        index.Remove("obj_missing").ShouldBeFalse();
    }

    [Fact]
    public void Filters_and_the_similarity_floor_are_applied_during_the_scan()
    {
        var index = new VectorIndex(2);
        index.Upsert("east", [1, 0]);
        index.Upsert("north-east", [MathF.Sqrt(0.5f), MathF.Sqrt(0.5f)]);
        index.Upsert("north", [0, 1]);
        index.Upsert("west", [-1, 0]);

        index.Search([1, 0], 10).Select(h => h.ObjectId).ShouldBe(["east", "north-east", "north", "west"]);
        index.Search([1, 0], 10, minimumSimilarity: 0.5f).Select(h => h.ObjectId).ShouldBe(["east", "north-east"]);
        index.Search([1, 0], 10, include: id => id.StartsWith("north", StringComparison.Ordinal)).Select(h => h.ObjectId).ShouldBe(["north-east", "north"]);
        index.Search([1, 0], 1).Single().ObjectId.ShouldBe("east");
        Should.Throw<ArgumentException>(() => index.Upsert("bad", [1, 0, 0]));
    }

    [Fact]
    public void Vectors_round_trip_through_their_blob_and_are_normalised()
    {
        float[] vector = [3, 4];
        VectorBlob.ToFloats(VectorBlob.ToBytes(vector)).ShouldBe(vector);
        VectorBlob.ToBytes(vector).Length.ShouldBe(8);
        VectorBlob.Normalized(vector).ShouldBe([0.6f, 0.8f], tolerance: 1e-6f);
        VectorBlob.Normalized([0, 0]).ShouldBe([0f, 0f]);
    }
}
