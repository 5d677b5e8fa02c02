using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Errors;
using StorageApi.Search;
using StorageApi.Tenancy;

namespace StorageApi.Objects;

/// <summary>Objects of a tenant: their metadata in the database and their bytes in the blob store, kept consistent.</summary>
public sealed class ObjectCatalog(StorageDb db, BlobStore blobs, SearchIndexing search, StorageSettings settings, TimeProvider clock, ILogger<ObjectCatalog> logger)
{
    private DateTime Now => clock.UtcNowStored();

    public async Task<StoredObject> CreateAsync(string tenantId, ReceivedUpload upload, CancellationToken cancellationToken)
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
        using (await blobs.LockAsync(tenantId, stored.Sha256, cancellationToken))
        {
            var created = blobs.Commit(upload.Blob, tenantId);
            try
            {
                // The bytes are in place: finish the record, with its keyword text and its place in the embedding queue.
                await using var unit = await UnitOfWork.BeginAsync(db, CancellationToken.None);
                db.Objects.Add(stored);
                await db.SaveChangesAsync(CancellationToken.None);
                await search.IndexNewAsync(stored, upload.Text, unit, CancellationToken.None);
                await unit.CommitAsync(CancellationToken.None);
            }
            catch
            {
                if (created) blobs.Delete(tenantId, stored.Sha256);
                throw;
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

    /// <summary>A live public object of any tenant this instance serves, or null.</summary>
    public Task<StoredObject?> TryGetPublicAsync(string id, CancellationToken cancellationToken)
    {
        var now = Now;
        return db.Objects.SingleOrDefaultAsync(o => o.Id == id && o.IsPublic && (o.ExpiresAt == null || o.ExpiresAt > now)
            && (settings.TenantId == null || o.TenantId == settings.TenantId), cancellationToken);
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
        using (await blobs.LockAsync(stored.TenantId, stored.Sha256, cancellationToken))
        {
            await using (var unit = await UnitOfWork.BeginAsync(db, CancellationToken.None))
            {
                await search.ForgetAsync(stored, unit, CancellationToken.None);
                db.Objects.Remove(stored);
                await db.SaveChangesAsync(CancellationToken.None);
                await unit.CommitAsync(CancellationToken.None);
            }
            if (!await db.Objects.AnyAsync(o => o.TenantId == stored.TenantId && o.Sha256 == stored.Sha256, CancellationToken.None))
                blobs.Delete(stored.TenantId, stored.Sha256);
        }
        logger.LogInformation("Deleted object {ObjectId} of tenant {TenantId}", stored.Id, stored.TenantId);
    }
}
