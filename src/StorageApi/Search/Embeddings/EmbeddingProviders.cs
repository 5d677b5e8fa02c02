using System.ClientModel;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Embeddings;
using StorageApi.Configuration;

namespace StorageApi.Search.Embeddings;

/// <summary>
/// The embedders this instance can use: the configured one, which makes every new vector, and — by identity — the one
/// that made a tenant's active set, which must embed queries while a rebuild with the configured one is under way.
/// OPENAI_API_KEY selects OpenAI or any OpenAI-compatible server (OPENAI_BASE_URL, e.g. Ollama's http://host:11434/v1);
/// without it the local sentence model runs on this machine (EMBEDDING_MODEL_DIR, by default beside the service).
/// EMBEDDER chooses explicitly, also the hashing embedder.
/// </summary>
public sealed class EmbeddingProviders : IDisposable
{
    public const string DefaultOpenAiModel = "text-embedding-3-small";

    private readonly ConcurrentDictionary<EmbedderIdentity, IEmbeddingGenerator<string, Embedding<float>>> _generators = new();
    private readonly string? _apiKey;
    private readonly string? _modelDirectory;
    private readonly SearchOptions _options;

    public EmbeddingProviders(StorageSettings settings, IOptions<SearchOptions> options)
    {
        _apiKey = settings.OpenAiApiKey;
        _options = options.Value;
        _modelDirectory = settings.EmbeddingModelDirectory;
        Configured = settings.Embedder switch
        {
            StorageSettings.Embedders.OpenAi => new EmbedderIdentity(EmbedderIdentity.OpenAiProvider, settings.OpenAiBaseUrl?.TrimEnd('/'), settings.EmbeddingModel ?? DefaultOpenAiModel),
            StorageSettings.Embedders.LocalMiniLm => MiniLmEmbeddingGenerator.Identity,
            _ => LocalHashingEmbeddingGenerator.Identity,
        };
    }

    /// <summary>The embedder that new vectors are made with.</summary>
    public EmbedderIdentity Configured { get; }

    public IEmbeddingGenerator<string, Embedding<float>> ConfiguredGenerator => Get(Configured)!;

    /// <summary>A generator for <paramref name="identity"/>, or null when this instance cannot make such vectors (no key, another local version).</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Get(EmbedderIdentity identity) => identity.Provider switch
    {
        EmbedderIdentity.LocalProvider when identity == LocalHashingEmbeddingGenerator.Identity =>
            _generators.GetOrAdd(identity, _ => new LocalHashingEmbeddingGenerator()),
        EmbedderIdentity.LocalProvider when identity == MiniLmEmbeddingGenerator.Identity && _modelDirectory is not null =>
            _generators.GetOrAdd(identity, _ => new MiniLmEmbeddingGenerator(_modelDirectory)),
        EmbedderIdentity.OpenAiProvider when _apiKey is not null => _generators.GetOrAdd(identity, CreateOpenAi),
        _ => null,
    };

    /// <summary>The least similarity that counts as a vector match for vectors of <paramref name="identity"/>.</summary>
    public static float MinimumSimilarity(EmbedderIdentity identity) =>
        identity == LocalHashingEmbeddingGenerator.Identity ? LocalHashingEmbeddingGenerator.NoiseFloor : 0f;

    /// <summary>Provider messages may quote what was sent; the key never reaches a log or the database.</summary>
    public string Redact(string message) => _apiKey is null ? message : message.Replace(_apiKey, "***", StringComparison.Ordinal);

    private IEmbeddingGenerator<string, Embedding<float>> CreateOpenAi(EmbedderIdentity identity)
    {
        var options = new OpenAIClientOptions
        {
            RetryPolicy = new ProviderRetryPolicy(_options.ProviderRetries),
            NetworkTimeout = _options.ProviderTimeout,
            UserAgentApplicationId = "storage-api",
        };
        if (identity.Endpoint is not null) options.Endpoint = new Uri(identity.Endpoint);
        return new EmbeddingClient(identity.Model, new ApiKeyCredential(_apiKey!), options).AsIEmbeddingGenerator();
    }

    public void Dispose()
    {
        foreach (var generator in _generators.Values) generator.Dispose();
    }
}
