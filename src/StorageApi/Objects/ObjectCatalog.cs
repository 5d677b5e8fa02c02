using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Errors;
using StorageApi.Search;
using StorageApi.Tenancy;

namespace StorageApi.Objects;

/// <summary>Objects of a tenant: their metadata in the database and their bytes in the blob store, kept consistent.</summary>
public sealed class ObjectCatalog(StorageDb db, BlobStore blobs, SearchIndexing search, TimeProvider clock, ILogger<ObjectCatalog> logger)
{
    private DateTime Now => clock.UtcNowStored();

    public async Task<StoredObject> CreateAsync(string tenantId, ReceivedUpload upload)
    {
        var now = Now;
        var fields = upload.Fields;
        var stored = new StoredObject
        {
            Id = Secrets.NewId("obj"),
            TenantId = tenantId,
            Filename = upload.Filename,
            ContentType = upload.ContentType,
            Size = upload.Blob.Size,
            Sha256 = upload.Blob.Sha256,
            Title = fields.Title,
            Description = fields.Description,
            Tags = fields.Tags,
            Collection = fields.Collection,
            IsPublic = fields.IsPublic,
            MetadataJson = fields.MetadataJson,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = fields.TtlHours is { } hours ? now.AddHours(hours) : null,
        };
        var staged = upload.Blob;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // The bytes are stored: record them (unless the tenant has them already) and the object, with its keyword
                // text and its place in the embedding queue, in one transaction.
                await using var unit = await UnitOfWork.BeginAsync(db, CancellationToken.None);
                var shared = await BlobReferences.LockAsync(db, tenantId, staged.Sha256, CancellationToken.None);
                if (!shared)
                    db.Blobs.Add(new Blob { TenantId = tenantId, Sha256 = staged.Sha256, Store = staged.Store.Url.Text, Key = staged.Key, Size = staged.Size, CreatedAt = now });
                db.Objects.Add(stored);
                await db.SaveChangesAsync(CancellationToken.None);
                await search.IndexNewAsync(stored, upload.Text, unit, CancellationToken.None);
                await unit.CommitAsync(CancellationToken.None);
                if (!shared) staged.Keep(); // else this second copy is removed when the upload is disposed
                break;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another upload of the same bytes recorded them first: share theirs. Any other failure stands.
                db.ChangeTracker.Clear();
                if (!await BlobReferences.ExistsAsync(db, tenantId, staged.Sha256, CancellationToken.None)) throw;
            }
        }
        return stored;
    }

    /// <summary>The tenant's live object; not found also for other tenants' ids, so their existence is not revealed.</summary>
    public async Task<StoredObject> GetAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        await TryGetAsync(tenantId, id, cancellationToken) ?? throw new NotFoundException($"Object '{id}'");

    /// <summary>The tenant's live object, or null.</summary>
    public Task<StoredObject?> TryGetAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        var now = Now;
        return db.Objects.SingleOrDefaultAsync(o => o.Id == id && o.TenantId == tenantId && (o.ExpiresAt == null || o.ExpiresAt > now), cancellationToken);
    }

    public async Task<ObjectPage> ListAsync(string tenantId, ObjectListQuery query, CancellationToken cancellationToken)
    {
        var now = Now;
        var objects = db.Objects.LiveOf(tenantId, now).InCollection(query.Collection).OfContentType(query.ContentType);
        if (query.Tag is { } tag) objects = objects.Where(o => o.Tags.Contains(tag));
        if (query.Text is { } text)
            objects = objects.Where(o => (o.Filename + " " + (o.Title ?? "") + " " + (o.Description ?? "")).ToLower().Contains(text));
        if (query.After is { } after)
            objects = objects.Where(o => o.CreatedAt < after.CreatedAt || (o.CreatedAt == after.CreatedAt && string.Compare(o.Id, after.Id) < 0));

        var page = await objects.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .Take(query.Limit + 1).ToListAsync(cancellationToken);
        var next = page.Count > query.Limit ? new ObjectCursor(page[query.Limit - 1].CreatedAt, page[query.Limit - 1].Id).Encode() : null;
        return new ObjectPage([.. page.Take(query.Limit).Select(ObjectView.From)], next);
    }

    public async Task<StoredObject> PatchAsync(string tenantId, string id, ObjectPatch patch, CancellationToken cancellationToken)
    {
        var stored = await GetAsync(tenantId, id, cancellationToken);
        var before = SearchIndexing.Fingerprint(stored);
        patch.ApplyTo(stored);
        stored.UpdatedAt = Now;
        await using (var unit = await UnitOfWork.BeginAsync(db, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            if (SearchIndexing.Fingerprint(stored) != before) await search.ReindexAsync(stored, unit, cancellationToken);
            await unit.CommitAsync(cancellationToken);
        }
        return stored;
    }

    public async Task DeleteAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        await RemoveAsync(await GetAsync(tenantId, id, cancellationToken), cancellationToken);

    /// <summary>Removes objects whose time is up; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        while (true)
        {
            var now = Now;
            var batch = await db.Objects.Where(o => o.ExpiresAt != null && o.ExpiresAt <= now).OrderBy(o => o.ExpiresAt).Take(100).ToListAsync(cancellationToken);
            foreach (var stored in batch) await RemoveAsync(stored, cancellationToken);
            removed += batch.Count;
            if (batch.Count < 100) return removed;
        }
    }

    /// <summary>Deletes the record with its search data, then the bytes if no other object of the tenant shares them.</summary>
    private async Task RemoveAsync(StoredObject stored, CancellationToken cancellationToken)
    {
        Blob? unused = null;
        await using (var unit = await UnitOfWork.BeginAsync(db, CancellationToken.None))
        {
            await BlobReferences.LockAsync(db, stored.TenantId, stored.Sha256, CancellationToken.None);
            await search.ForgetAsync(stored, unit, CancellationToken.None);
            db.Objects.Remove(stored);
            await db.SaveChangesAsync(CancellationToken.None);
            if (!await db.Objects.AnyAsync(o => o.TenantId == stored.TenantId && o.Sha256 == stored.Sha256, CancellationToken.None))
            {
                unused = await db.Blobs.SingleOrDefaultAsync(b => b.TenantId == stored.TenantId && b.Sha256 == stored.Sha256, CancellationToken.None);
                if (unused is not null) db.Blobs.Remove(unused);
                await db.SaveChangesAsync(CancellationToken.None);
            }
            await unit.CommitAsync(CancellationToken.None);
        }
        // Only once no row refers to them: an upload of the same bytes from now on records a copy of its own.
        if (unused is not null) await blobs.DeleteUnreferencedAsync(unused, logger);
        logger.LogInformation("Deleted object {ObjectId} of tenant {TenantId}", stored.Id, stored.TenantId);
    }
}
