using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Configuration;

/// <summary>EMBEDDER and EMBEDDING_MODEL_DIR: which embedder runs, and a local model that is missing stops the start, not a search.</summary>
public sealed class EmbedderConfigurationTests
{
    private static ConfigurationReport Read(TempFolder folder, params (string Key, string? Value)[] variables) =>
        ConfigurationReader.Read(variables.ToDictionary(v => v.Key, v => v.Value), folder.Path);

    [Fact]
    public void Without_embedder_it_is_openai_with_a_key_and_the_local_model_beside_the_service_without()
    {
        using var folder = new TempFolder();

        var local = Read(folder);
        local.Errors.ShouldBeEmpty();
        local.Settings!.Embedder.ShouldBe(StorageSettings.Embedders.LocalMiniLm);
        local.Settings.EmbeddingModelDirectory.ShouldBe(Path.Combine(AppContext.BaseDirectory, "models", "all-MiniLM-L6-v2"));
        Read(folder, (KnownVariables.OpenAiApiKey, "sk-test")).Settings!.Embedder.ShouldBe(StorageSettings.Embedders.OpenAi);
        Read(folder, (KnownVariables.OpenAiApiKey, "sk-test"), (KnownVariables.Embedder, "HASHING")).Settings!.Embedder.ShouldBe(StorageSettings.Embedders.Hashing);
    }

    [Fact]
    public void The_local_model_needs_a_folder_with_both_of_its_files()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("model"));
        File.WriteAllText(folder.Combine("model", "vocab.txt"), "[PAD]\n");

        Read(folder, (KnownVariables.EmbeddingModelDirectory, "model")).Errors
            .ShouldBe([$"EMBEDDER is local-minilm (the default) but {folder.Combine("model")} has no model.onnx: set EMBEDDING_MODEL_DIR to the folder of all-MiniLM-L6-v2, or EMBEDDER=hashing"]);
        Read(folder, (KnownVariables.Embedder, "local-minilm"), (KnownVariables.EmbeddingModelDirectory, "empty")).Errors
            .ShouldBe([$"EMBEDDER is local-minilm but {folder.Combine("empty")} has no model.onnx or vocab.txt: set EMBEDDING_MODEL_DIR to the folder of all-MiniLM-L6-v2, or EMBEDDER=hashing"]);

        File.WriteAllText(folder.Combine("model", "model.onnx"), "");
        var report = Read(folder, (KnownVariables.Embedder, "local-minilm"), (KnownVariables.EmbeddingModelDirectory, "model"));
        report.Errors.ShouldBeEmpty();
        report.Settings!.EmbeddingModelDirectory.ShouldBe(folder.Combine("model"));
        Read(folder, (KnownVariables.Embedder, "hashing"), (KnownVariables.EmbeddingModelDirectory, "empty")).Errors.ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_embedder_or_openai_without_a_key_is_an_error()
    {
        using var folder = new TempFolder();

        Read(folder, (KnownVariables.Embedder, "bert")).Errors.ShouldContain("EMBEDDER is 'bert'; expected one of hashing, local-minilm, openai");
        Read(folder, (KnownVariables.Embedder, "openai")).Errors.ShouldContain("EMBEDDER is openai but OPENAI_API_KEY is not set");
    }
}
