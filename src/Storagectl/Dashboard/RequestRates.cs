using Storagectl.Hosts;

namespace Storagectl.Dashboard;

/// <summary>A tenant's request rate and 5xx share between two readings of its instances' /metrics.</summary>
public sealed record RatePoint(DateTimeOffset At, double RequestsPerSecond, double ErrorShare);

/// <summary>
/// The last readings of each instance's request counters, turned into a series per tenant (its hosts summed). A counter
/// that went down belongs to a new process (a deploy, a rollback): what it counted since its start is the change, as
/// Prometheus' rate() takes it.
/// </summary>
public sealed class RequestRates
{
    public const int Kept = 100;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Tenant, string Host), (DateTimeOffset At, RequestCounts Counts)> _last = [];
    private readonly Dictionary<string, List<RatePoint>> _series = new(StringComparer.Ordinal);

    public void Add(DateTimeOffset at, IReadOnlyDictionary<(string Tenant, string Host), RequestCounts> readings)
    {
        lock (_gate)
        {
            foreach (var tenant in readings.GroupBy(r => r.Key.Tenant))
            {
                var (requests, errors, seconds) = (0.0, 0.0, 0.0);
                foreach (var (target, counts) in tenant)
                {
                    if (_last.TryGetValue(target, out var last) && at > last.At)
                    {
                        var restarted = counts.Requests < last.Counts.Requests || counts.Errors < last.Counts.Errors;
                        var change = restarted ? counts : counts.Since(last.Counts);
                        (requests, errors, seconds) = (requests + change.Requests, errors + change.Errors, Math.Max(seconds, (at - last.At).TotalSeconds));
                    }
                    _last[target] = (at, counts);
                }
                if (seconds <= 0) continue;
                if (!_series.TryGetValue(tenant.Key, out var series)) _series[tenant.Key] = series = [];
                series.Add(new RatePoint(at, requests / seconds, requests <= 0 ? 0 : Math.Clamp(errors / requests, 0, 1)));
                if (series.Count > Kept) series.RemoveAt(0);
            }
        }
    }

    public IReadOnlyList<RatePoint> Of(string tenant)
    {
        lock (_gate) return _series.TryGetValue(tenant, out var series) ? [.. series] : [];
    }
}
