namespace StorageApi.Data;

/// <summary>
/// Reads the database's change counters every <see cref="PollInterval"/> (a table of a few rows, never per request)
/// and hands each to the caches that depend on it. While reads fail (the database down, not migrated yet) the caches
/// go stale and every answer is read from the database again, which then answers or fails as it would without a cache.
/// </summary>
public sealed partial class ChangeWatcher(IServiceScopeFactory scopes, IEnumerable<IChangeWatchedCache> caches, ILogger<ChangeWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long after a read of the counters their caches may still answer: a change elsewhere is seen within this.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(750);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = Environment.TickCount64;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var counters = new Dictionary<string, long>(StringComparer.Ordinal);
                await foreach (var counter in ChangeCounter.ReadAll(scope.ServiceProvider.GetRequiredService<StorageDb>()).WithCancellation(stoppingToken))
                    counters[counter.Name] = counter.Value;
                foreach (var cache in caches)
                    if (counters.TryGetValue(cache.CounterName, out var value)) cache.Confirm(value, started);
                if (failing) LogReadAgain(logger);
                failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!failing) LogReadFailed(logger, e.Message);
                failing = true;
            }
            try { await Task.Delay(PollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Cannot read the change counters, so API keys and objects are read from the database on every request until it can: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The change counters can be read again; API keys and objects are cached again")]
    private static partial void LogReadAgain(ILogger logger);
}
