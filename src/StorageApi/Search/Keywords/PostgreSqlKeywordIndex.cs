using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Search.Keywords;

/// <summary>
/// Keyword search with PostgreSQL's full-text search: ObjectTexts has a generated, GIN-indexed tsvector column
/// "Keywords" (the 'simple' configuration: no stemming, like FTS5 here), weighted title A, filename and tags B,
/// description, collection and metadata C, content D (see the PostgreSQL AddSearch migration). Ranks are divided by
/// 1 + log(length), so, as with bm25, a short text that matches beats a long one that matches as well.
/// </summary>
public sealed class PostgreSqlKeywordIndex(StorageDb db) : KeywordIndex(db)
{
    public override Task<IReadOnlyList<KeywordHit>> SearchAsync(string tenantId, string text, IQueryable<StoredObject> candidates, int limit, CancellationToken cancellationToken)
    {
        // The same words FTS5 would see, OR-ed; they are letters and digits only, so the tsquery cannot be malformed.
        var words = Fts5Query.Words(text);
        if (words.Count == 0) return Task.FromResult<IReadOnlyList<KeywordHit>>([]);
        var query = string.Join(" | ", words);
        var matches = Db.Database.SqlQuery<KeywordRow>($"""
            SELECT t."ObjectId" AS "ObjectId", ts_rank_cd(t."Keywords", q, 1)::float8 AS "Score"
            FROM "ObjectTexts" AS t, to_tsquery('simple', {query}) AS q
            WHERE t."Keywords" @@ q AND t."TenantId" = {tenantId}
            """);
        return BestAsync(matches, tenantId, candidates, limit, cancellationToken);
    }
}
