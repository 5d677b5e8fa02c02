using System.Diagnostics;
using StorageApi.RateLimiting;

namespace StorageApi.Observability;

/// <summary>
/// Alerts read counters with rate() or increase(), which see nothing of a series that first appears at 1. So before
/// each scrape, every tenant label gets its error series per route, and every tenant its rate-limited series per
/// limit, at 0 (adding 0 creates a series without changing it): the first error or 429 then counts as an increase.
/// </summary>
public sealed class ZeroSeries(StorageMetrics metrics, KnownTenants tenants, EndpointDataSource endpoints)
{
    private static readonly string[] Limits = [LimitNames.Requests, LimitNames.AnonymousRequests, LimitNames.UploadBytes, LimitNames.ConcurrentUploads];
    private readonly Lock _gate = new();
    private readonly HashSet<string> _seeded = new(StringComparer.Ordinal);
    private IReadOnlyList<string>? _routes;

    public void Seed()
    {
        lock (_gate)
        {
            // Read once: the routes are fixed when the first scrape arrives.
            _routes ??= [.. endpoints.Endpoints.OfType<RouteEndpoint>().Select(RequestObservation.RouteOf).Distinct()];
            foreach (var tenant in tenants.Current().Prepend(TenantLabels.Anonymous).Prepend(TenantLabels.Admin))
            {
                if (!_seeded.Add(tenant)) continue;
                foreach (var route in _routes) metrics.Errors.Add(0, new TagList { { "route", route }, { "tenant", tenant } });
                if (tenant is TenantLabels.Admin or TenantLabels.Anonymous) continue; // never rate limited by these labels
                foreach (var limit in Limits) metrics.RateLimited.Add(0, new TagList { { "tenant", tenant }, { "limit", limit } });
            }
        }
    }
}
