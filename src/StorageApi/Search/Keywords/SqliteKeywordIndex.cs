using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Search.Keywords;

/// <summary>
/// Keyword search with SQLite FTS5: ObjectTexts rows are indexed by the FTS5 table ObjectKeywords, kept in step by
/// triggers (see the AddSearch migration). Porter stemming is not used: "invoices" matches "invoices" only; the vector
/// side covers near words.
/// </summary>
public sealed class SqliteKeywordIndex(StorageDb db) : KeywordIndex(db)
{
    public override Task<IReadOnlyList<KeywordHit>> SearchAsync(string tenantId, string text, IQueryable<StoredObject> candidates, int limit, CancellationToken cancellationToken)
    {
        if (Fts5Query.From(text) is not { } match) return Task.FromResult<IReadOnlyList<KeywordHit>>([]);
        // bm25 weights per column: Title, Description, Tags, Collection, Filename, Metadata, Content. Lower bm25 is
        // better, so its negation is the score.
        var matches = Db.Database.SqlQuery<KeywordRow>($"""
            SELECT t.ObjectId AS ObjectId, -bm25(ObjectKeywords, 10.0, 4.0, 5.0, 2.0, 5.0, 2.0, 1.0) AS Score
            FROM ObjectKeywords JOIN ObjectTexts AS t ON t.RowId = ObjectKeywords.rowid
            WHERE ObjectKeywords MATCH {match} AND t.TenantId = {tenantId}
            """);
        return BestAsync(matches, tenantId, candidates, limit, cancellationToken);
    }
}
