using Microsoft.Extensions.Diagnostics.HealthChecks;
using StorageApi.Configuration;
using StorageApi.Health;

namespace StorageApi.Backups;

/// <summary>
/// Degraded (not unready: the service still serves) when the last good backup is older than two intervals, or when
/// there has been none two intervals after start; healthy otherwise, with the backup's age and id.
/// </summary>
public sealed class BackupHealthCheck(StorageSettings settings, BackupStatus status, InstanceInfo instance, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var interval = settings.Backup!.Interval;
        var now = clock.GetUtcNow().UtcDateTime;
        LastGoodBackup? last;
        try { last = await status.ReadAsync(cancellationToken); }
        catch (System.Data.Common.DbException e) { return HealthCheckResult.Degraded($"cannot read the last backup: {e.Message}"); }
        if (last is null)
        {
            var waited = now - instance.StartedAt;
            return waited > 2 * interval
                ? HealthCheckResult.Degraded($"no backup yet, {waited.TotalMinutes:0} minutes after start (interval {interval.TotalMinutes:0} minutes)")
                : HealthCheckResult.Healthy("no backup yet");
        }
        var age = now - last.At;
        var data = new Dictionary<string, object> { ["ageSeconds"] = Math.Round(age.TotalSeconds, 1), ["snapshot"] = last.SnapshotId, ["takenAt"] = last.At };
        var description = $"last good backup {last.SnapshotId}, {age.TotalMinutes:0} minutes ago";
        return age > 2 * interval
            ? HealthCheckResult.Degraded($"{description}: more than two intervals ({interval.TotalMinutes:0} minutes each)", data: data)
            : HealthCheckResult.Healthy(description, data);
    }
}
