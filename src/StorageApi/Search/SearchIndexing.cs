using Microsoft.EntityFrameworkCore;
using StorageApi.Data;
using StorageApi.Search.Keywords;
using StorageApi.Search.Queue;
using StorageApi.Search.Vectors;

namespace StorageApi.Search;

/// <summary>
/// What the object catalog tells search, inside its unit of work: an object's keyword text is written at once and its
/// embedding queued; a removed object's text, vectors and queue entry go with it. The worker is woken and the in-memory
/// index changed once the unit commits, so neither acts on a change that was rolled back.
/// </summary>
public sealed class SearchIndexing(StorageDb db, IKeywordIndex keywords, EmbeddingQueue queue, TenantVectorIndexes indexes, EmbeddingQueueSignal signal)
{
    /// <summary>The fields search reads; a patch that changes none of them (public, expiresAt) needs no new embedding.</summary>
    public static string Fingerprint(StoredObject o) =>
        string.Join('\u001f', o.Title, o.Description, string.Join('\u001e', o.Tags), o.Collection, o.Filename, o.MetadataJson);

    /// <summary>A new object, with the text taken from its bytes while they were uploaded (null: not text).</summary>
    public Task IndexNewAsync(StoredObject stored, string? content, UnitOfWork unit, CancellationToken cancellationToken) =>
        IndexAsync(SearchDocument.From(stored, content), unit, cancellationToken);

    /// <summary>An object whose fields changed; its bytes never do, so the text already indexed from them stays.</summary>
    public async Task ReindexAsync(StoredObject stored, UnitOfWork unit, CancellationToken cancellationToken)
    {
        var content = await db.ObjectTexts.Where(t => t.TenantId == stored.TenantId && t.ObjectId == stored.Id)
            .Select(t => t.Content).SingleOrDefaultAsync(cancellationToken);
        await IndexAsync(SearchDocument.From(stored, content), unit, cancellationToken);
    }

    private async Task IndexAsync(SearchDocument document, UnitOfWork unit, CancellationToken cancellationToken)
    {
        await keywords.UpsertAsync(document, cancellationToken);
        await queue.EnqueueAsync(document.TenantId, document.ObjectId, cancellationToken);
        unit.AfterCommit(signal.Notify);
    }

    /// <summary>Call before the object's row is deleted (a cascade would remove the rows, but not tell the in-memory index).</summary>
    public async Task ForgetAsync(StoredObject stored, UnitOfWork unit, CancellationToken cancellationToken)
    {
        var (tenantId, objectId) = (stored.TenantId, stored.Id);
        await keywords.RemoveAsync(tenantId, objectId, cancellationToken);
        await db.EmbeddingQueue.Where(e => e.TenantId == tenantId && e.ObjectId == objectId).ExecuteDeleteAsync(cancellationToken);
        var activeSet = await db.VectorSets.Where(s => s.TenantId == tenantId && s.State == VectorSet.Active).Select(s => (long?)s.Id).SingleOrDefaultAsync(cancellationToken);
        if (activeSet is { } setId
            && await db.ObjectVectors.Where(v => v.TenantId == tenantId && v.SetId == setId && v.ObjectId == objectId).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            // Incremented in SQL, not through a tracked copy that another writer may have outdated.
            await db.VectorSets.Where(s => s.Id == setId).ExecuteUpdateAsync(s => s.SetProperty(v => v.Revision, v => v.Revision + 1), cancellationToken);
            var revision = await db.VectorSets.Where(s => s.Id == setId).Select(s => s.Revision).SingleAsync(cancellationToken);
            unit.AfterCommit(() => indexes.Apply(tenantId, setId, revision, index => index.Remove(objectId)));
        }
        await db.ObjectVectors.Where(v => v.TenantId == tenantId && v.ObjectId == objectId).ExecuteDeleteAsync(cancellationToken); // a building set's
    }
}
