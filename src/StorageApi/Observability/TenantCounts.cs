using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Observability;

/// <summary>
/// Rows per tenant for a gauge (objects stored, embeddings waiting): one grouped count when scraped, at most every
/// 15 seconds, so a scraper cannot load the database.
/// </summary>
public sealed class TenantCounts(IServiceScopeFactory scopes, TimeProvider clock, Func<StorageDb, IQueryable<string>> tenantOfEachRow)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);
    private readonly Lock _gate = new();
    private (DateTimeOffset At, Measurement<long>[] Values) _cached = (DateTimeOffset.MinValue, []);

    public IEnumerable<Measurement<long>> Observe()
    {
        lock (_gate)
        {
            if (clock.GetUtcNow() - _cached.At < MaxAge) return _cached.Values;
            try
            {
                using var scope = scopes.CreateScope();
                var counts = tenantOfEachRow(scope.ServiceProvider.GetRequiredService<StorageDb>())
                    .GroupBy(tenant => tenant).Select(g => new { Tenant = g.Key, Count = g.LongCount() }).ToList();
                _cached = (clock.GetUtcNow(), [.. counts.Select(c => new Measurement<long>(c.Count, new KeyValuePair<string, object?>("tenant", c.Tenant)))]);
            }
            catch (System.Data.Common.DbException)
            {
                // Not migrated yet, or the database is down: /health says so; the gauge just has nothing new.
            }
            return _cached.Values;
        }
    }
}
