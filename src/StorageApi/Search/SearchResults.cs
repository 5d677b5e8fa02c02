using StorageApi.Objects;

namespace StorageApi.Search;

/// <summary>Where the object stood in the vector list: rank from 1 and cosine similarity (-1 to 1).</summary>
public sealed record VectorMatch(int Rank, double Similarity);

/// <summary>Where the object stood in the keyword list: rank from 1 and its bm25 relevance (higher is better).</summary>
public sealed record KeywordMatch(int Rank, double Score);

/// <summary>
/// A result: the object as the list endpoint shows it, the fused score (reciprocal rank fusion; for "similar", the cosine
/// similarity) and each component, null where the object was not in that list.
/// </summary>
public sealed record SearchHit(ObjectView Object, double Score, VectorMatch? Vector, KeywordMatch? Keyword);

/// <summary>The embedder whose vectors answered; null when the answer is keyword-only (no vectors yet, or the query could not be embedded).</summary>
public sealed record SearchEmbedder(string Provider, string Model, int Dimensions);

public sealed record SearchResults(IReadOnlyList<SearchHit> Items, SearchEmbedder? Embedder);
