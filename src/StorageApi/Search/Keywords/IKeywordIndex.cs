using StorageApi.Data;

namespace StorageApi.Search.Keywords;

/// <summary>A keyword match: the object and its relevance (higher is better; comparable within one query only).</summary>
public sealed record KeywordHit(string ObjectId, double Score);

/// <summary>
/// Full-text search over objects' searchable text. SQLite's FTS5 implements it now; a PostgreSQL implementation
/// (tsvector) can sit behind the same methods. Writes run inside the caller's transaction.
/// </summary>
public interface IKeywordIndex
{
    /// <summary>Stores the document's text for its object, replacing what was there.</summary>
    Task UpsertAsync(SearchDocument document, CancellationToken cancellationToken);

    Task RemoveAsync(string tenantId, string objectId, CancellationToken cancellationToken);

    /// <summary>The tenant's best matches for <paramref name="text"/> among <paramref name="candidates"/>, best first.</summary>
    Task<IReadOnlyList<KeywordHit>> SearchAsync(string tenantId, string text, IQueryable<StoredObject> candidates, int limit, CancellationToken cancellationToken);
}
