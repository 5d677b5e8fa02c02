using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Observability;

/// <summary>Objects per tenant for the <c>storage.objects</c> gauge: one grouped count per scrape, at most every 15 seconds.</summary>
public sealed class ObjectCounts(IServiceScopeFactory scopes, TimeProvider clock)
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
                var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
                var counts = db.Objects.GroupBy(o => o.TenantId).Select(g => new { Tenant = g.Key, Count = g.LongCount() }).ToList();
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
