using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using StorageApi.Configuration;
using StorageApi.Search.Embeddings;

namespace StorageApi.Tests.Search;

/// <summary>The local sentence embedder on the real model: meaning, not shared words, and long texts read to their end.</summary>
public sealed class MiniLmEmbeddingGeneratorTests
{
    private static readonly Lazy<MiniLmEmbeddingGenerator> Embedder = new(() => new MiniLmEmbeddingGenerator(ConfigurationReader.DefaultModelDirectory));

    private static async Task<float[]> EmbedAsync(string text) => (await Embedder.Value.GenerateVectorAsync(text)).ToArray();

    private static async Task<float> SimilarityAsync(string a, string b)
    {
        var (first, second) = (await EmbedAsync(a), await EmbedAsync(b));
        return TensorPrimitives.Dot(first, second);
    }

    [Fact]
    public async Task A_dog_in_the_park_is_near_a_puppy_on_the_grass_and_far_from_a_tax_report()
    {
        var puppy = await SimilarityAsync("a dog playing in the park", "puppy running on the grass");
        var tax = await SimilarityAsync("a dog playing in the park", "quarterly tax report");

        puppy.ShouldBeGreaterThan(0.35f);
        tax.ShouldBeLessThan(0.15f);
        (await SimilarityAsync("tax report", "invoice and receipts for taxes")).ShouldBeGreaterThan(puppy - 0.1f);
    }

    [Fact]
    public async Task Vectors_have_384_unit_dimensions_and_the_same_text_gives_the_same_vector()
    {
        var first = await EmbedAsync("The lighthouse keeper's log for March.");
        var again = await EmbedAsync("The lighthouse keeper's log for March.");

        first.Length.ShouldBe(MiniLmEmbeddingGenerator.Dimensions);
        TensorPrimitives.Norm(first).ShouldBe(1f, 1e-4f);
        TensorPrimitives.Dot(first, again).ShouldBe(1f, 1e-4f);
    }

    [Fact]
    public async Task A_long_text_is_read_to_its_end_not_cut_at_the_models_window()
    {
        // More than 256 word pieces about tax law, then a paragraph about a dog: a model cut at its window never sees the dog.
        var tax = string.Join(' ', Enumerable.Repeat("The quarterly filing lists deductible expenses, depreciation schedules and withholding amounts for the auditors.", 16));
        var withDog = tax + " Afterwards our puppy chased a ball across the lawn and rolled in the grass. The dog played in the park until dark, " +
                      "fetching sticks and barking at pigeons, and came home happy and muddy.";

        var dogInTax = await SimilarityAsync("a dog playing in the park", withDog);
        var taxOnly = await SimilarityAsync("a dog playing in the park", tax);

        dogInTax.ShouldBeGreaterThan(taxOnly + 0.1f, $"with the dog {dogInTax}, tax only {taxOnly}");
    }

    [Fact]
    public async Task Texts_of_one_batch_are_embedded_as_each_would_be_alone()
    {
        string[] texts = ["short", "a somewhat longer sentence about gardening and tomatoes", ""];

        var together = await Embedder.Value.GenerateAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var alone = await EmbedAsync(texts[i]);
            TensorPrimitives.Dot(together[i].Vector.ToArray(), alone).ShouldBe(1f, 1e-3f, texts[i]);
        }
    }
}
