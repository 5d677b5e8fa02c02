using System.Diagnostics.Metrics;
using StorageApi.Observability;

namespace StorageApi.Backups;

/// <summary>
/// The backups' instruments on the service's meter: <c>storage_backup_age_seconds</c> (since the last good backup of
/// any instance on this database; no value before the first) and <c>storage_backup_failures_total</c> (this process's).
/// </summary>
public sealed class BackupMetrics : IDisposable
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);
    private readonly Meter _meter = new(StorageMetrics.MeterName);
    private readonly BackupStatus _status;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private (DateTimeOffset At, LastGoodBackup? Last) _cached = (DateTimeOffset.MinValue, null);
    private long _failures;

    public BackupMetrics(BackupStatus status, TimeProvider clock)
    {
        (_status, _clock) = (status, clock);
        // Observed rather than added to, so the series exists at 0 before the first failure and increase() sees that one.
        _meter.CreateObservableCounter("storage.backup.failures", () => Interlocked.Read(ref _failures), description: "backups that failed in this process");
        _meter.CreateObservableGauge("storage.backup.age", ObserveAge, unit: "s", description: "seconds since the last good backup");
    }

    public void RecordFailure() => Interlocked.Increment(ref _failures);

    private IEnumerable<Measurement<double>> ObserveAge()
    {
        LastGoodBackup? last;
        lock (_gate)
        {
            if (_clock.GetUtcNow() - _cached.At >= MaxAge)
            {
                try { _cached = (_clock.GetUtcNow(), _status.ReadAsync(CancellationToken.None).GetAwaiter().GetResult()); }
                catch (System.Data.Common.DbException) { } // the database is down or not migrated: /health says so
            }
            last = _cached.Last;
        }
        return last is null ? [] : [new Measurement<double>(Math.Round((_clock.GetUtcNow().UtcDateTime - last.At).TotalSeconds, 1))];
    }

    public void Dispose() => _meter.Dispose();
}
