using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;
using StorageApi.Data;

namespace StorageApi.Search.Queue;

public sealed record EmbeddingQueueStats(int Waiting, int Failing, DateTime? OldestEnqueuedAt, string? LastError, DateTime? LastErrorAt);

/// <summary>
/// The durable queue of objects to embed: a table, so nothing is lost across restarts. Writes run inside the caller's
/// transaction. A dedicated instance (TENANT_ID) sees only its tenant's entries.
/// </summary>
public sealed class EmbeddingQueue(StorageDb db, StorageSettings settings, TimeProvider clock)
{
    private DateTime Now => clock.UtcNowStored();

    private IQueryable<EmbeddingQueueEntry> Visible =>
        db.EmbeddingQueue.Where(e => settings.TenantId == null || e.TenantId == settings.TenantId);

    /// <summary>Queues the object, or — when it already waits — asks for its newest text and makes it due now.</summary>
    // Quoted names and ON CONFLICT: the same SQL on SQLite and PostgreSQL.
    public Task EnqueueAsync(string tenantId, string objectId, CancellationToken cancellationToken)
    {
        var now = Now;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO "EmbeddingQueue" ("TenantId", "ObjectId", "Revision", "EnqueuedAt", "Attempts", "NextAttemptAt")
            VALUES ({tenantId}, {objectId}, 1, {now}, 0, {now})
            ON CONFLICT ("TenantId", "ObjectId") DO UPDATE SET
                "Revision" = "EmbeddingQueue"."Revision" + 1, "Attempts" = 0, "NextAttemptAt" = excluded."NextAttemptAt", "LastError" = NULL
            """, cancellationToken);
    }

    /// <summary>Queues every object of the tenant that does not wait already (a rebuild); returns how many were added.</summary>
    public Task<int> EnqueueTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = Now;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO "EmbeddingQueue" ("TenantId", "ObjectId", "Revision", "EnqueuedAt", "Attempts", "NextAttemptAt")
            SELECT "TenantId", "Id", 1, {now}, 0, {now} FROM "Objects" WHERE "TenantId" = {tenantId}
            ON CONFLICT ("TenantId", "ObjectId") DO NOTHING
            """, cancellationToken);
    }

    /// <summary>Up to <paramref name="size"/> due entries, all of the tenant whose entry is due longest.</summary>
    public async Task<IReadOnlyList<EmbeddingQueueEntry>> NextBatchAsync(int size, CancellationToken cancellationToken)
    {
        var now = Now;
        var due = Visible.Where(e => e.NextAttemptAt <= now);
        var tenantId = await due.OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id).Select(e => e.TenantId).FirstOrDefaultAsync(cancellationToken);
        if (tenantId is null) return [];
        return await due.Where(e => e.TenantId == tenantId).OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id)
            .Take(size).AsNoTracking().ToListAsync(cancellationToken);
    }

    public Task<DateTime?> NextDueAtAsync(CancellationToken cancellationToken) =>
        Visible.MinAsync(e => (DateTime?)e.NextAttemptAt, cancellationToken);

    public Task<bool> AnyForTenantAsync(string tenantId, CancellationToken cancellationToken) =>
        db.EmbeddingQueue.AnyAsync(e => e.TenantId == tenantId, cancellationToken);

    /// <summary>
    /// Removes the entry if it still asks for what was embedded: false when the object changed (a newer revision waits)
    /// or was deleted meanwhile, and the vector must not be stored.
    /// </summary>
    public async Task<bool> CompleteAsync(EmbeddingQueueEntry entry, CancellationToken cancellationToken) =>
        await db.EmbeddingQueue.Where(e => e.Id == entry.Id && e.TenantId == entry.TenantId && e.Revision == entry.Revision)
            .ExecuteDeleteAsync(cancellationToken) == 1;

    /// <summary>Records a failed attempt; the entry is due again after <paramref name="backoff"/> of its attempt count.</summary>
    public async Task FailAsync(IEnumerable<EmbeddingQueueEntry> entries, string error, Func<int, TimeSpan> backoff, CancellationToken cancellationToken)
    {
        var now = Now;
        if (error.Length > SearchLimits.ErrorLength) error = error[..(SearchLimits.ErrorLength - 1)] + "…";
        foreach (var entry in entries)
        {
            var next = now + backoff(entry.Attempts + 1);
            await db.EmbeddingQueue.Where(e => e.Id == entry.Id && e.Revision == entry.Revision)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(e => e.Attempts, e => e.Attempts + 1)
                    .SetProperty(e => e.LastAttemptAt, now)
                    .SetProperty(e => e.LastError, error)
                    .SetProperty(e => e.NextAttemptAt, next), cancellationToken);
        }
    }

    /// <summary>A restart is an operator's way to say "try again now" (a fixed key, a server back up): failed entries become due.</summary>
    public Task<int> MakeFailedDueAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        return Visible.Where(e => e.Attempts > 0 && e.NextAttemptAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.NextAttemptAt, now), cancellationToken);
    }

    public async Task<EmbeddingQueueStats> StatsAsync(CancellationToken cancellationToken)
    {
        var waiting = await Visible.CountAsync(cancellationToken);
        var failing = waiting == 0 ? 0 : await Visible.CountAsync(e => e.Attempts > 0, cancellationToken);
        var oldest = waiting == 0 ? null : await Visible.MinAsync(e => (DateTime?)e.EnqueuedAt, cancellationToken);
        var last = await Visible.Where(e => e.LastError != null).OrderByDescending(e => e.LastAttemptAt)
            .Select(e => new { e.LastError, e.LastAttemptAt }).FirstOrDefaultAsync(cancellationToken);
        return new EmbeddingQueueStats(waiting, failing, oldest, last?.LastError, last?.LastAttemptAt);
    }
}
