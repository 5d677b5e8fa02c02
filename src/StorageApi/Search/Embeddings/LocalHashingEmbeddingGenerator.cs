using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace StorageApi.Search.Embeddings;

/// <summary>
/// The built-in embedder, used when no OpenAI key is configured: deterministic, offline and fast. Word unigrams and
/// character trigrams are hashed (signed, FNV-1a) into 384 dimensions, counts are damped (1 + ln n) and the vector is
/// L2-normalised. Its similarity is lexical (shared words and word parts, so "invoice" is near "invoices"), not meaning:
/// "car" and "automobile" are unrelated to it.
/// </summary>
public sealed class LocalHashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Bump the version whenever the features change: stored vectors of the old version are then rebuilt.</summary>
    public const string ModelId = "hashing-v1";
    public const int Dimensions = 384;
    public static readonly EmbedderIdentity Identity = new(EmbedderIdentity.LocalProvider, null, ModelId);

    /// <summary>
    /// Texts that share no feature still collide in some of the 384 buckets, with random signs: their similarity scatters
    /// around 0 with a spread of about 0.05. Below this floor a vector "match" is that noise, not a shared word.
    /// </summary>
    public const float NoiseFloor = 0.15f;

    private const float WordWeight = 1.0f;
    private const float TrigramWeight = 0.5f;
    private const ulong WordSeed = 0x77;    // distinct seeds keep the word "abc" and the trigram "abc" apart
    private const ulong TrigramSeed = 0x74;

    private static readonly EmbeddingGeneratorMetadata Metadata = new(EmbedderIdentity.LocalProvider, null, ModelId, Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.UtcNow;
        var embeddings = values.Select(text => new Embedding<float>(Embed(text)) { ModelId = ModelId, CreatedAt = now });
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings));
    }

    public static float[] Embed(string text)
    {
        var counts = new Dictionary<ulong, int>();
        var lower = text.ToLowerInvariant();
        var start = -1;
        for (var i = 0; i <= lower.Length; i++)
        {
            var inWord = i < lower.Length && char.IsLetterOrDigit(lower[i]);
            if (inWord && start < 0) start = i;
            if (inWord || start < 0) continue;
            AddWord(lower.AsSpan(start, i - start), counts);
            start = -1;
        }

        var vector = new float[Dimensions];
        foreach (var (feature, count) in counts)
        {
            var weight = (feature & 1) == 0 ? WordWeight : TrigramWeight;
            var sign = (feature >> 63) == 0 ? 1f : -1f;
            vector[(int)((uint)(feature >> 1) % Dimensions)] += sign * weight * (1 + MathF.Log(count));
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    /// <summary>Counts the word and its trigrams, padded with a space at each end (" ab", "abc", "bc ").</summary>
    private static void AddWord(ReadOnlySpan<char> word, Dictionary<ulong, int> counts)
    {
        Count(counts, Hash(WordSeed, word) & ~1UL);
        Span<char> padded = word.Length <= 254 ? stackalloc char[word.Length + 2] : new char[word.Length + 2];
        padded[0] = ' ';
        word.CopyTo(padded[1..]);
        padded[^1] = ' ';
        for (var i = 0; i + 3 <= padded.Length; i++) Count(counts, Hash(TrigramSeed, padded.Slice(i, 3)) | 1UL);
    }

    private static void Count(Dictionary<ulong, int> counts, ulong feature) =>
        counts[feature] = counts.GetValueOrDefault(feature) + 1;

    /// <summary>64-bit FNV-1a with a final mix: stable across processes and versions, unlike string.GetHashCode.</summary>
    private static ulong Hash(ulong seed, ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL ^ seed;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        // MurmurHash3's finaliser spreads FNV's weakly mixed bits over the whole word (bucket and sign come from different ends).
        hash = (hash ^ (hash >> 33)) * 0xff51afd7ed558ccdUL;
        hash = (hash ^ (hash >> 33)) * 0xc4ceb9fe1a85ec53UL;
        return hash ^ (hash >> 33);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
