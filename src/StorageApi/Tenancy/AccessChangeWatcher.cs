using StorageApi.Data;

namespace StorageApi.Tenancy;

/// <summary>
/// Reads the database's access counter every <see cref="ApiKeyCache.PollInterval"/> (one row by primary key, never per
/// request) and hands it to <see cref="ApiKeyCache"/>. While reads fail (the database down, not migrated yet) the cache
/// goes stale and every key is looked up in the database again, which then answers or fails as it would without a cache.
/// </summary>
public sealed partial class AccessChangeWatcher(IServiceScopeFactory scopes, ApiKeyCache cache, ILogger<AccessChangeWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = Environment.TickCount64;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var counter = await ChangeCounter.ReadAsync(scope.ServiceProvider.GetRequiredService<StorageDb>(), ChangeCounter.Access, stoppingToken);
                cache.Confirm(counter, started);
                if (failing) LogReadAgain(logger);
                failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!failing) LogReadFailed(logger, e.Message);
                failing = true;
            }
            try { await Task.Delay(ApiKeyCache.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Cannot read the access counter, so API keys are looked up in the database on every request until it can: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The access counter can be read again; API keys are cached again")]
    private static partial void LogReadAgain(ILogger logger);
}
