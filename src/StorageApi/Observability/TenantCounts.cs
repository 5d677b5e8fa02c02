using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Observability;

/// <summary>
/// Rows per tenant for a gauge (objects stored, embeddings waiting), 0 for a known tenant without any, so an alert
/// on the value sees every tenant. One grouped count when scraped, at most every 15 seconds.
/// </summary>
public sealed class TenantCounts(IServiceScopeFactory scopes, KnownTenants tenants, TimeProvider clock, Func<StorageDb, IQueryable<string>> tenantOfEachRow)
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
                    .GroupBy(tenant => tenant).Select(g => new { Tenant = g.Key, Count = g.LongCount() })
                    .ToDictionary(c => c.Tenant, c => c.Count);
                foreach (var tenant in tenants.Current()) counts.TryAdd(tenant, 0);
                _cached = (clock.GetUtcNow(), [.. counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("tenant", c.Key)))]);
            }
            catch (System.Data.Common.DbException)
            {
                // Not migrated yet, or the database is down: /health says so; the gauge just has nothing new.
            }
            return _cached.Values;
        }
    }
}
