using StorageApi.Health;

namespace StorageApi.Backups;

/// <summary>
/// Backs up every BACKUP_INTERVAL, the first time shortly after start. When is due comes from the last good backup in
/// the database, so the blue and green slots together take one backup per interval (the lease keeps them apart).
/// </summary>
public sealed class BackupScheduler(BackupRunner runner, BackupStatus status, BackupMetrics metrics, InstanceInfo instance,
    Configuration.StorageSettings settings, BackupSchedule schedule, TimeProvider clock, ILogger<BackupScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = settings.Backup!.Interval;
        var notBefore = instance.StartedAt + schedule.FirstRunAfter;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(schedule.Poll, stoppingToken);
                var now = clock.GetUtcNow().UtcDateTime;
                var last = await status.ReadAsync(stoppingToken);
                if (now < notBefore || (last is not null && now - last.At < interval)) continue;
                await runner.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (BackupBusyException e)
            {
                logger.LogDebug("Backup skipped: {Reason}", e.Message);
            }
            catch (Exception e)
            {
                metrics.RecordFailure();
                logger.LogError(e, "Backup failed: {Reason}", e.Message);
                notBefore = clock.GetUtcNow().UtcDateTime + schedule.RetryAfterFailure;
            }
        }
    }
}

/// <summary>The scheduler's waits; tests shorten them.</summary>
public sealed record BackupSchedule
{
    public TimeSpan FirstRunAfter { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How often (real time) it looks whether a backup is due.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryAfterFailure { get; init; } = TimeSpan.FromMinutes(1);
}
