using Microsoft.Extensions.Options;
using StorageApi.Data;
using StorageApi.Search.Embeddings;
using StorageApi.Search.Vectors;

namespace StorageApi.Search.Queue;

/// <summary>
/// Drains the embedding queue in the background: batches of one tenant's due entries, one provider request each.
/// A failed batch is retried later with exponential backoff — per entry (durable, in the table) and for the whole
/// worker (in memory), so a wrong key or a provider outage costs a request now and then, not a busy loop.
/// </summary>
public sealed class EmbeddingWorker(
    IServiceScopeFactory scopes, EmbeddingQueueSignal signal, EmbeddingProviders providers, TimeProvider clock,
    IOptions<SearchOptions> options, ILogger<EmbeddingWorker> logger) : BackgroundService
{
    private readonly SearchOptions _options = options.Value;
    private int _failedBatches;

    public TimeSpan Backoff(int failures) => TimeSpan.FromTicks(Math.Min(
        _options.MaxRetryDelay.Ticks,
        _options.RetryDelay.Ticks * (long)Math.Pow(2, Math.Clamp(failures - 1, 0, 20))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (_options.StartDelay > TimeSpan.Zero) await Task.Delay(_options.StartDelay, stoppingToken);
            await PrepareAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var outcome = await RunOnceAsync(stoppingToken);
                    if (outcome is null) await signal.WaitAsync(await IdleTimeAsync(stoppingToken), stoppingToken);
                    else if (outcome > TimeSpan.Zero) await Task.Delay(outcome.Value, stoppingToken); // new uploads do not cut a backoff short
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    _failedBatches++;
                    var delay = Backoff(_failedBatches);
                    logger.LogError(e, "The embedding worker failed; it tries again in {Delay}", delay);
                    await Task.Delay(delay, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>Starts rebuilds for tenants whose vectors another embedder made, and makes failed entries due.</summary>
    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<VectorSetCatalog>().ReconcileAsync(providers.Configured, cancellationToken);
                await scope.ServiceProvider.GetRequiredService<EmbeddingQueue>().MakeFailedDueAsync(cancellationToken);
                logger.LogInformation("Embedding with {Embedder}", providers.Configured);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // e.g. the database is not migrated yet (outside development a deploy migrates after start)
                var delay = Backoff(attempt);
                logger.LogWarning("The embedding worker cannot start yet ({Error}); it tries again in {Delay}", e.Message, delay);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>Processes one batch. Null when nothing was due; else how long to wait before the next (zero after success).</summary>
    public async Task<TimeSpan?> RunOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<EmbeddingQueueEntry> batch;
        await using (var scope = scopes.CreateAsyncScope())
        {
            batch = await scope.ServiceProvider.GetRequiredService<EmbeddingQueue>().NextBatchAsync(_options.BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                // A rebuild whose last entries went with deleted objects finishes here rather than after its own batch.
                var sets = scope.ServiceProvider.GetRequiredService<VectorSetCatalog>();
                foreach (var tenantId in await sets.RebuildingAsync(cancellationToken)) await sets.TryPromoteAsync(tenantId, cancellationToken);
                return null;
            }
        }

        var failure = await EmbedAsync(batch, cancellationToken);
        if (failure is { Kind: EmbeddingFailureKind.BadInput } && batch.Count > 1)
        {
            // One object's text may be what the provider refuses: try each alone, so the others are not held back.
            failure = null;
            foreach (var entry in batch) failure = await EmbedAsync([entry], cancellationToken) ?? failure;
        }
        if (failure is not null)
        {
            _failedBatches++;
            return Backoff(_failedBatches);
        }
        _failedBatches = 0;
        await using (var scope = scopes.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<VectorSetCatalog>().TryPromoteAsync(batch[0].TenantId, cancellationToken);
        return TimeSpan.Zero;
    }

    private async Task<EmbeddingFailure?> EmbedAsync(IReadOnlyList<EmbeddingQueueEntry> entries, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var failure = await scope.ServiceProvider.GetRequiredService<BatchEmbedder>().RunAsync(entries, cancellationToken);
        if (failure is null) return null;
        var queue = scope.ServiceProvider.GetRequiredService<EmbeddingQueue>();
        await queue.FailAsync(entries, failure.Message, Backoff, cancellationToken);
        var retryIn = Backoff(entries.Max(e => e.Attempts) + 1);
        if (failure.Kind == EmbeddingFailureKind.Transient)
            logger.LogWarning("Embedding {Count} objects of tenant {TenantId} failed: {Error}; retrying in {Delay}", entries.Count, entries[0].TenantId, failure.Message, retryIn);
        else
            logger.LogError("Embedding {Count} objects of tenant {TenantId} failed: {Error}; retrying in {Delay}", entries.Count, entries[0].TenantId, failure.Message, retryIn);
        return failure;
    }

    /// <summary>Until the next entry is due, at most one poll interval (other processes may queue entries too).</summary>
    private async Task<TimeSpan> IdleTimeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var next = await scope.ServiceProvider.GetRequiredService<EmbeddingQueue>().NextDueAtAsync(cancellationToken);
        var untilDue = next is { } due ? due - clock.GetUtcNow().UtcDateTime : _options.PollInterval;
        return untilDue < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : untilDue > _options.PollInterval ? _options.PollInterval : untilDue;
    }
}
