using StorageApi.Data;
using StorageApi.WriteHolds;

namespace StorageApi.Objects;

/// <summary>
/// Deletes objects whose TTL has passed; not while writes are held (a tenant's copy being verified against its
/// source must not lose objects on one side only), and counted as a write in flight like a DELETE request.
/// </summary>
public sealed class ExpiredObjectSweeper(IServiceScopeFactory scopes, WritesInFlight inFlight, TimeProvider clock, ILogger<ExpiredObjectSweeper> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        using var write = inFlight.Enter();
        await using var scope = scopes.CreateAsyncScope();
        if (await WriteHold.ReadAsync(scope.ServiceProvider.GetRequiredService<StorageDb>(), cancellationToken) is not null) return 0;
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
