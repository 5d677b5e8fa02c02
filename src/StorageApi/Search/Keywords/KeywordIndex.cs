using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Search.Keywords;

/// <summary>
/// What both databases share: an object's searchable text is one ObjectTexts row, written in the caller's transaction.
/// Each provider indexes those rows its own way and answers <see cref="SearchAsync"/> with its own full-text engine.
/// </summary>
public abstract class KeywordIndex(StorageDb db) : IKeywordIndex
{
    protected StorageDb Db => db;

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

    public abstract Task<IReadOnlyList<KeywordHit>> SearchAsync(string tenantId, string text, IQueryable<StoredObject> candidates, int limit, CancellationToken cancellationToken);

    /// <summary>The provider's matches, narrowed to the tenant's candidates, best (highest score) first.</summary>
    protected static async Task<IReadOnlyList<KeywordHit>> BestAsync(IQueryable<KeywordRow> matches, string tenantId, IQueryable<StoredObject> candidates,
        int limit, CancellationToken cancellationToken)
    {
        var rows = await matches
            .Join(candidates.Where(o => o.TenantId == tenantId), k => k.ObjectId, o => o.Id, (k, o) => k)
            .OrderByDescending(k => k.Score).ThenBy(k => k.ObjectId)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new KeywordHit(r.ObjectId, r.Score))];
    }

    protected sealed class KeywordRow
    {
        public required string ObjectId { get; init; }
        public double Score { get; init; }
    }
}
