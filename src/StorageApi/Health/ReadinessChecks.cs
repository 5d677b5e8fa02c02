using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.ObjectStores;

namespace StorageApi.Health;

/// <summary>The database answers a query.</summary>
public sealed class DatabaseCheck(StorageDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken)) return HealthCheckResult.Unhealthy("cannot connect");
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return HealthCheckResult.Healthy(db.Database.ProviderName);
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}

/// <summary>The schema matches this release: no migration is waiting.</summary>
public sealed class MigrationsCheck(DatabaseMaintenance maintenance) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await maintenance.PendingMigrationsAsync(cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy("up to date")
                : HealthCheckResult.Unhealthy($"{pending.Count} pending: {string.Join(", ", pending)} (run 'storage-api migrate')");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}

/// <summary>Files can be created in the data directory.</summary>
public sealed class DataDirectoryCheck(StorageSettings settings) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = Path.Combine(settings.TempDirectory, $"health-{Guid.NewGuid():N}.probe");
        try
        {
            Directory.CreateDirectory(settings.TempDirectory);
            await File.WriteAllTextAsync(probe, "ok", cancellationToken);
            return HealthCheckResult.Healthy(settings.DataDirectory);
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"{settings.DataDirectory} is not writable: {e.Message}");
        }
        finally
        {
            try { File.Delete(probe); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>The data directory's file system has room for more uploads.</summary>
public sealed class FreeDiskCheck(StorageSettings settings) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            Directory.CreateDirectory(settings.DataDirectory);
            var free = new DriveInfo(settings.DataDirectory).AvailableFreeSpace;
            var data = new Dictionary<string, object> { ["freeBytes"] = free, ["minimumBytes"] = settings.MinFreeDiskBytes };
            var description = $"{free / (1024 * 1024)} MB free, minimum {settings.MinFreeDiskBytes / (1024 * 1024)} MB";
            return Task.FromResult(free >= settings.MinFreeDiskBytes
                ? HealthCheckResult.Healthy(description, data)
                : HealthCheckResult.Unhealthy(description, data: data));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(e.Message));
        }
    }
}

/// <summary>The blob store is reachable, accepts the credentials, and is this instance's own.</summary>
public sealed class BlobStoreCheck(BlobStoreGuard guard, StorageDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var store = await guard.ClaimedStoreAsync(db, cancellationToken);
            await store.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy(store.Url.Text);
        }
        catch (ObjectStoreUnavailableException e)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
