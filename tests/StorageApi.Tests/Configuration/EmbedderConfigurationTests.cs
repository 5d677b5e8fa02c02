using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Configuration;

/// <summary>EMBEDDER and EMBEDDING_MODEL_DIR: which embedder runs, and a local model that is missing stops the start, not a search.</summary>
public sealed class EmbedderConfigurationTests
{
    private static ConfigurationReport Read(TempFolder folder, params (string Key, string? Value)[] variables) =>
        ConfigurationReader.Read(variables.ToDictionary(v => v.Key, v => v.Value), folder.Path);

    [Fact]
    public void Without_embedder_it_is_openai_with_a_key_and_hashing_without()
    {
        using var folder = new TempFolder();

        Read(folder).Settings!.Embedder.ShouldBe(StorageSettings.Embedders.Hashing);
        Read(folder, (KnownVariables.OpenAiApiKey, "sk-test")).Settings!.Embedder.ShouldBe(StorageSettings.Embedders.OpenAi);
        Read(folder, (KnownVariables.OpenAiApiKey, "sk-test"), (KnownVariables.Embedder, "HASHING")).Settings!.Embedder.ShouldBe(StorageSettings.Embedders.Hashing);
    }

    [Fact]
    public void The_local_model_needs_a_folder_with_both_of_its_files()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("model"));
        File.WriteAllText(folder.Combine("model", "vocab.txt"), "[PAD]\n");

        Read(folder, (KnownVariables.Embedder, "local-minilm")).Errors
            .ShouldContain("EMBEDDER is local-minilm but EMBEDDING_MODEL_DIR is not set: name the folder with the model's model.onnx and vocab.txt");
        Read(folder, (KnownVariables.Embedder, "local-minilm"), (KnownVariables.EmbeddingModelDirectory, "model")).Errors
            .ShouldBe([$"EMBEDDING_MODEL_DIR {folder.Combine("model")} has no model.onnx"]);

        File.WriteAllText(folder.Combine("model", "model.onnx"), "");
        var report = Read(folder, (KnownVariables.Embedder, "local-minilm"), (KnownVariables.EmbeddingModelDirectory, "model"));
        report.Errors.ShouldBeEmpty();
        report.Settings!.EmbeddingModelDirectory.ShouldBe(folder.Combine("model"));
    }

    [Fact]
    public void An_unknown_embedder_or_openai_without_a_key_is_an_error()
    {
        using var folder = new TempFolder();

        Read(folder, (KnownVariables.Embedder, "bert")).Errors.ShouldContain("EMBEDDER is 'bert'; expected one of hashing, local-minilm, openai");
        Read(folder, (KnownVariables.Embedder, "openai")).Errors.ShouldContain("EMBEDDER is openai but OPENAI_API_KEY is not set");
    }
}
