using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Search.Keywords;

/// <summary>
/// Keyword search with SQLite FTS5: rows go to ObjectTexts, whose triggers keep the FTS5 index ObjectKeywords in step
/// (see the AddSearch migration). Porter stemming is not used: "invoices" matches "invoices" only; the vector side
/// covers near words.
/// </summary>
public sealed class SqliteKeywordIndex(StorageDb db) : IKeywordIndex
{
    public async Task UpsertAsync(SearchDocument document, CancellationToken cancellationToken)
    {
        var existing = await db.ObjectTexts.SingleOrDefaultAsync(t => t.TenantId == document.TenantId && t.ObjectId == document.ObjectId, cancellationToken);
        var text = existing ?? db.ObjectTexts.Add(new ObjectText { TenantId = document.TenantId, ObjectId = document.ObjectId }).Entity;
        text.Title = document.Title;
        text.Description = document.Description;
        text.Tags = document.Tags;
        text.Collection = document.Collection;
        text.Filename = document.Filename;
        text.Metadata = document.MetadataText;
        text.Content = document.Content;
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task RemoveAsync(string tenantId, string objectId, CancellationToken cancellationToken) =>
        db.ObjectTexts.Where(t => t.TenantId == tenantId && t.ObjectId == objectId).ExecuteDeleteAsync(cancellationToken);

    public async Task<IReadOnlyList<KeywordHit>> SearchAsync(string tenantId, string text, IQueryable<StoredObject> candidates, int limit, CancellationToken cancellationToken)
    {
        if (Fts5Query.From(text) is not { } match) return [];
        // bm25 weights per column: Title, Description, Tags, Collection, Filename, Metadata, Content. Lower is better.
        var matches = db.Database.SqlQuery<KeywordRow>($"""
            SELECT t.ObjectId AS ObjectId, bm25(ObjectKeywords, 10.0, 4.0, 5.0, 2.0, 5.0, 2.0, 1.0) AS Rank
            FROM ObjectKeywords JOIN ObjectTexts AS t ON t.RowId = ObjectKeywords.rowid
            WHERE ObjectKeywords MATCH {match} AND t.TenantId = {tenantId}
            """);
        var rows = await matches
            .Join(candidates.Where(o => o.TenantId == tenantId), k => k.ObjectId, o => o.Id, (k, o) => k)
            .OrderBy(k => k.Rank).ThenBy(k => k.ObjectId)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new KeywordHit(r.ObjectId, -r.Rank))];
    }

    private sealed class KeywordRow
    {
        public required string ObjectId { get; init; }
        public double Rank { get; init; }
    }
}
