using System.Diagnostics.Metrics;

namespace StorageApi.Observability;

/// <summary>
/// The service's own instruments, tagged by route template and tenant (both bounded: no ids, no paths), exported at
/// <c>/metrics</c> in Prometheus format. storagectl's bake window reads the 5xx share of <see cref="Requests"/>.
/// </summary>
public sealed class StorageMetrics : IDisposable
{
    public const string MeterName = "StorageApi";
    private readonly Meter _meter = new(MeterName);

    public StorageMetrics(IServiceScopeFactory scopes, KnownTenants tenants, TimeProvider clock)
    {
        Requests = _meter.CreateCounter<long>("storage.requests", description: "HTTP requests by route, tenant and status code");
        Errors = _meter.CreateCounter<long>("storage.errors", description: "HTTP requests answered with a 5xx status");
        Duration = _meter.CreateHistogram<double>("storage.request.duration", unit: "s", description: "time to answer, by route and tenant",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        UploadedBytes = _meter.CreateCounter<long>("storage.upload.bytes", unit: "By", description: "bytes stored by uploads, by tenant");
        DownloadedBytes = _meter.CreateCounter<long>("storage.download.bytes", unit: "By", description: "bytes served as object content, by tenant");
        RateLimited = _meter.CreateCounter<long>("storage.rate_limited", description: "requests refused with 429, by tenant and limit");
        _meter.CreateObservableGauge("storage.objects", new TenantCounts(scopes, tenants, clock, db => db.Objects.Select(o => o.TenantId)).Observe,
            description: "objects stored, by tenant");
        _meter.CreateObservableGauge("storage.embedding.queue", new TenantCounts(scopes, tenants, clock, db => db.EmbeddingQueue.Select(e => e.TenantId)).Observe,
            description: "objects waiting to be embedded, by tenant");
    }

    public Counter<long> Requests { get; }
    public Counter<long> Errors { get; }
    public Histogram<double> Duration { get; }
    public Counter<long> UploadedBytes { get; }
    public Counter<long> DownloadedBytes { get; }
    public Counter<long> RateLimited { get; }


    public void Dispose() => _meter.Dispose();
}
