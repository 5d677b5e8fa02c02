using System.Numerics.Tensors;
using StorageApi.Search;
using StorageApi.Search.Embeddings;
using StorageApi.Search.Keywords;
using StorageApi.Search.Vectors;

namespace StorageApi.Tests.Search;

/// <summary>The pure parts of ranking: fusion arithmetic, the FTS5 query builder and the local embedder.</summary>
public sealed class RankingPartsTests
{
    [Fact]
    public void Reciprocal_rank_fusion_adds_one_over_two_plus_rank_from_each_list()
    {
        var fused = RankFusion.Fuse(
            [new KeywordHit("a", 9.0), new KeywordHit("b", 5.0)],
            [new VectorHit("b", 0.9f), new VectorHit("c", 0.8f), new VectorHit("a", 0.1f)]);

        fused.Select(h => h.ObjectId).ShouldBe(["b", "a", "c"]);
        fused[0].Score.ShouldBe(1.0 / 4 + 1.0 / 3, 1e-12);
        fused[1].Score.ShouldBe(1.0 / 3 + 1.0 / 5, 1e-12);
        fused[2].Score.ShouldBe(1.0 / 4, 1e-12);
        fused[2].KeywordRank.ShouldBeNull();
        fused[0].KeywordRank.ShouldBe(2);
        fused[0].VectorRank.ShouldBe(1);
        fused[0].Similarity!.Value.ShouldBe(0.9, 1e-6);
    }

    [Theory]
    [InlineData("lighthouse logbook", "\"lighthouse\" OR \"logbook\"")]
    [InlineData("Report \"draft\" OR NEAR(x) *", "\"report\" OR \"draft\" OR \"near\" OR \"x\"")]
    [InlineData("a dog playing in the park", "\"dog\" OR \"playing\" OR \"park\"")] // function words match everything
    [InlineData("The Who", "\"the\" OR \"who\"")] // nothing but function words: they are what was meant
    [InlineData("café Zürich 2026", "\"café\" OR \"zürich\" OR \"2026\"")]
    [InlineData("\"\" * ( ) : ^", null)]
    [InlineData("a a A", "\"a\"")]
    public void User_text_becomes_quoted_fts5_terms_that_cannot_be_syntax(string text, string? match) =>
        Fts5Query.From(text).ShouldBe(match);

    [Fact]
    public void The_local_embedder_is_deterministic_normalised_and_lexical()
    {
        var first = LocalHashingEmbeddingGenerator.Embed("Lighthouse keeper's logbook");
        var again = LocalHashingEmbeddingGenerator.Embed("Lighthouse keeper's logbook");
        float Similarity(string a, string b) => TensorPrimitives.Dot(LocalHashingEmbeddingGenerator.Embed(a), LocalHashingEmbeddingGenerator.Embed(b));

        first.ShouldBe(again);
        first.Length.ShouldBe(384);
        TensorPrimitives.Norm(first).ShouldBe(1f, 1e-5f);
        LocalHashingEmbeddingGenerator.Embed("").ShouldAllBe(x => x == 0);
        Similarity("quarterly invoices", "invoice for the quarter").ShouldBeGreaterThan(LocalHashingEmbeddingGenerator.NoiseFloor);
        Similarity("QUARTERLY Invoices", "quarterly invoices").ShouldBe(1f, 1e-5f);
        // Lexical, not semantic: synonyms share nothing.
        Similarity("car", "automobile").ShouldBeLessThan(LocalHashingEmbeddingGenerator.NoiseFloor);
    }
}
