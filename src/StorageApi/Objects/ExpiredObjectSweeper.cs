namespace StorageApi.Objects;

/// <summary>Deletes objects whose TTL has passed.</summary>
public sealed class ExpiredObjectSweeper(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ExpiredObjectSweeper> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var removed = await scope.ServiceProvider.GetRequiredService<Objects.ObjectCatalog>().DeleteExpiredAsync(cancellationToken);
        if (removed > 0) logger.LogInformation("Swept {Expired} expired objects", removed);
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
