using Microsoft.Extensions.Options;
using StorageApi.Configuration;

namespace StorageApi.Search.Vectors;

/// <summary>
/// Loads the tenants that have a saved graph right after start, so that their first search does not wait for it; then
/// saves settled graphs and drops idle tenants' vectors from memory, now and then; saves every changed graph at shutdown.
/// </summary>
public sealed class VectorIndexHousekeeping(TenantVectorIndexes indexes, VectorSetLoader loader, StorageSettings settings,
    IOptions<SearchOptions> options, ILogger<VectorIndexHousekeeping> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await LoadSavedGraphsAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.HousekeepingInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                indexes.SaveSettled(options.Value.GraphSaveQuiet);
                indexes.UnloadIdle();
            }
            catch (Exception e)
            {
                logger.LogError(e, "Vector index housekeeping failed; it runs again in {Interval}", options.Value.HousekeepingInterval);
            }
        }
    }

    private async Task LoadSavedGraphsAsync(CancellationToken stoppingToken)
    {
        if (!Directory.Exists(settings.VectorIndexDirectory)) return;
        var tenants = Directory.EnumerateDirectories(settings.VectorIndexDirectory).Select(Path.GetFileName)
            .Where(t => settings.TenantId is null || t == settings.TenantId).Order(StringComparer.Ordinal).ToList();
        foreach (var tenantId in tenants)
        {
            try
            {
                var active = await loader.ActiveAsync(tenantId!, stoppingToken);
                if (active?.Dimensions is not null) await indexes.GetAsync(active, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // e.g. a database not migrated yet: the tenant's first search loads it
                logger.LogWarning("Could not load the saved vector graph of tenant {TenantId} at start: {Reason}", tenantId, e.Message);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await indexes.StopBuildsAsync().WaitAsync(cancellationToken);
        indexes.SaveSettled(TimeSpan.Zero);
    }
}
