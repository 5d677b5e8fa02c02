using System.Globalization;

namespace Storagectl.Hosts;

/// <summary>All requests and 5xx answers a service reported in its Prometheus text, summed over routes and tenants.</summary>
public sealed record RequestCounts(double Requests, double Errors)
{
    public const string RequestsMetric = "storage_requests_total";
    public const string ErrorsMetric = "storage_errors_total";

    /// <summary>Null when the text has no request counter (an older release, or no /metrics at all).</summary>
    public static RequestCounts? Parse(string prometheusText)
    {
        var (requests, errors, seen) = (0.0, 0.0, false);
        foreach (var line in prometheusText.Split('\n'))
        {
            if (line.StartsWith('#')) continue;
            var space = line.LastIndexOf(' ');
            if (space < 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            if (IsSample(line, RequestsMetric)) (requests, seen) = (requests + value, true);
            else if (IsSample(line, ErrorsMetric)) errors += value;
        }
        return seen ? new RequestCounts(requests, errors) : null;
    }

    /// <summary>
    /// A service's counters from its own port, read on its host (nginx does not pass /metrics on): null when it does not
    /// answer 200 or reports no counter; a lost connection throws, as <see cref="HealthProbe.GetAsync"/> does.
    /// </summary>
    public static async Task<RequestCounts?> ReadAsync(HostConnection connection, int port, double timeoutSeconds, CancellationToken cancellationToken)
    {
        var (status, body) = await HealthProbe.GetAsync(connection, port, Planning.BakeStep.MetricsPath, timeoutSeconds, cancellationToken);
        return status == 200 ? Parse(body) : null;
    }

    public RequestCounts Since(RequestCounts earlier) => new(Requests - earlier.Requests, Errors - earlier.Errors);

    private static bool IsSample(string line, string metric) =>
        line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is '{' or ' ';
}
