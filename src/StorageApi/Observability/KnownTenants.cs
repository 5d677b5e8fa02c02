using StorageApi.Configuration;
using StorageApi.Data;

namespace StorageApi.Observability;

/// <summary>
/// The tenants this instance serves, for metric series that must read 0 before their first event. Read when
/// scraped, at most every 15 seconds, so a scraper cannot load the database.
/// </summary>
public sealed class KnownTenants(IServiceScopeFactory scopes, StorageSettings settings, TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);
    private readonly Lock _gate = new();
    private (DateTimeOffset At, IReadOnlyList<string> Ids) _cached = (DateTimeOffset.MinValue, []);

    public IReadOnlyList<string> Current()
    {
        lock (_gate)
        {
            if (clock.GetUtcNow() - _cached.At < MaxAge) return _cached.Ids;
            try
            {
                using var scope = scopes.CreateScope();
                var ids = scope.ServiceProvider.GetRequiredService<StorageDb>().Tenants
                    .Where(t => settings.TenantId == null || t.Id == settings.TenantId).Select(t => t.Id).ToList();
                _cached = (clock.GetUtcNow(), ids);
            }
            catch (System.Data.Common.DbException)
            {
                // Not migrated yet, or the database is down: /health says so; the last list stands.
            }
            return _cached.Ids;
        }
    }
}
