using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;
using StorageApi.Data;

namespace StorageApi.RateLimiting;

/// <summary>
/// Each tenant's limits in force: the environment's defaults with the tenant's stored overrides put in. Kept in memory;
/// a change through this instance's admin API replaces the entry at once, and entries are re-read after a while so a
/// change made through another instance on the same database (the other blue/green slot) arrives too.
/// </summary>
public sealed class EffectiveLimits(IServiceScopeFactory scopes, StorageSettings settings, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (TenantLimits Limits, DateTimeOffset ReadAt)> _known = new(StringComparer.Ordinal);

    public async ValueTask<TenantLimits> ForAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(tenantId, out var known) && clock.GetUtcNow() - known.ReadAt < MaxAge) return known.Limits;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var stored = await db.TenantLimits.AsNoTracking().SingleOrDefaultAsync(l => l.TenantId == tenantId, cancellationToken);
        var limits = settings.DefaultLimits.With(OverridesOf(stored));
        Remember(tenantId, limits);
        return limits;
    }

    public void Remember(string tenantId, TenantLimits limits) => _known[tenantId] = (limits, clock.GetUtcNow());

    public static LimitOverrides OverridesOf(TenantLimitOverride? stored) => stored is null
        ? new LimitOverrides()
        : new LimitOverrides(stored.RequestsPerMinute, stored.RequestBurst, stored.UploadBytesPerMinute, stored.ConcurrentUploads);
}
