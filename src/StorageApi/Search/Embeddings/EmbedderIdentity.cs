using StorageApi.Data;

namespace StorageApi.Search.Embeddings;

/// <summary>
/// What makes vectors comparable: the same provider, endpoint and model. Vectors of different identities live in
/// different sets and are never mixed in one search. No credentials are part of it.
/// </summary>
public sealed record EmbedderIdentity(string Provider, string? Endpoint, string Model)
{
    public const string LocalProvider = "local";
    public const string OpenAiProvider = "openai";

    public static EmbedderIdentity Of(VectorSet set) => new(set.Provider, set.Endpoint, set.Model);

    public bool Matches(VectorSet set) => set.Provider == Provider && set.Endpoint == Endpoint && set.Model == Model;

    public override string ToString() => Endpoint is null ? $"{Provider}/{Model}" : $"{Provider}/{Model} at {Endpoint}";
}
