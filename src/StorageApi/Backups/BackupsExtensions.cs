using Microsoft.Extensions.DependencyInjection.Extensions;
using StorageApi.Configuration;

namespace StorageApi.Backups;

public static class BackupsExtensions
{
    public const string HealthCheckName = "backup";

    /// <summary>The backup verbs' services always; the scheduler, its health check and its metrics only when BACKUP_URL is set.</summary>
    public static IServiceCollection AddBackups(this IServiceCollection services, StorageSettings settings)
    {
        services.AddSingleton<BackupLease>();
        services.AddSingleton<BackupStatus>();
        services.AddSingleton<BackupRunner>();
        services.AddSingleton<BackupRestorer>();
        if (settings.Backup is null) return services;
        services.AddSingleton<BackupMetrics>();
        services.TryAddSingleton(new BackupSchedule());
        services.AddSingleton<BackupScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<BackupScheduler>());
        // Not tagged ready: an overdue backup makes the instance degraded, never unready.
        services.AddHealthChecks().AddCheck<BackupHealthCheck>(HealthCheckName);
        return services;
    }
}
