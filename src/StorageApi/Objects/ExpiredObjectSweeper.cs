namespace StorageApi.Objects;

/// <summary>Deletes objects whose TTL has passed and staging files left by crashed uploads.</summary>
public sealed class ExpiredObjectSweeper(IServiceScopeFactory scopes, BlobStore blobs, TimeProvider clock, ILogger<ExpiredObjectSweeper> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StagingFileMaxAge = TimeSpan.FromDays(1);

    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var removed = await scope.ServiceProvider.GetRequiredService<Objects.ObjectCatalog>().DeleteExpiredAsync(cancellationToken);
        var stale = blobs.DeleteStaleStagingFiles(clock.GetUtcNow().UtcDateTime - StagingFileMaxAge);
        if (removed + stale > 0) logger.LogInformation("Swept {Expired} expired objects and {Stale} stale staging files", removed, stale);
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Expiry sweep failed; retrying in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
