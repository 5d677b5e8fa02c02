using Microsoft.EntityFrameworkCore;
using StorageApi.Data;
using StorageApi.Objects;
using StorageApi.Search.Keywords;
using StorageApi.Search.Queue;
using StorageApi.Search.Vectors;

namespace StorageApi.Search;

/// <summary>
/// What the object catalog tells search, inside its own transaction: an object's keyword text is written at once and its
/// embedding queued; a removed object's text, vectors and queue entry go with it. <see cref="Committed"/> then wakes the
/// worker and updates the in-memory index: only after the commit, so neither acts on a change that was rolled back.
/// </summary>
public sealed class SearchIndexing(
    StorageDb db, IKeywordIndex keywords, EmbeddingQueue queue, BlobStore blobs, TenantVectorIndexes indexes, EmbeddingQueueSignal signal)
{
    private readonly List<Action> _afterCommit = [];

    /// <summary>The fields search reads; a patch that changes none of them (public, expiresAt) needs no new embedding.</summary>
    public static string Fingerprint(StoredObject o) =>
        string.Join('\u001f', o.Title, o.Description, string.Join('\u001e', o.Tags), o.Collection, o.Filename, o.MetadataJson);

    public async Task IndexAsync(StoredObject stored, CancellationToken cancellationToken)
    {
        await keywords.UpsertAsync(await SearchDocument.ReadAsync(stored, blobs, cancellationToken), cancellationToken);
        await queue.EnqueueAsync(stored.TenantId, stored.Id, cancellationToken);
        _afterCommit.Add(signal.Notify);
    }

    /// <summary>Call before the object's row is deleted (a cascade would remove the rows, but not tell the in-memory index).</summary>
    public async Task ForgetAsync(StoredObject stored, CancellationToken cancellationToken)
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
            _afterCommit.Add(() => indexes.Apply(tenantId, setId, revision, index => index.Remove(objectId)));
        }
        await db.ObjectVectors.Where(v => v.TenantId == tenantId && v.ObjectId == objectId).ExecuteDeleteAsync(cancellationToken); // a building set's
    }

    public void Committed()
    {
        foreach (var action in _afterCommit) action();
        _afterCommit.Clear();
    }
}
