using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Backups;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Backups;

/// <summary>/health and /metrics show the age of the last good backup; two intervals without one make the instance degraded, never unready.</summary>
public sealed class BackupHealthTests
{
    [Fact]
    public async Task An_overdue_backup_makes_health_degraded_with_200_and_leaves_readiness_alone()
    {
        using var backups = new BackupTesting();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await backups.StartAsync(clock: clock);

        (await HealthAsync(service)).Status.ShouldBe("healthy");
        clock.Advance(TimeSpan.FromMinutes(31)); // two intervals of 15 minutes, and no backup yet
        var overdue = await HealthAsync(service);
        overdue.Status.ShouldBe("degraded");
        overdue.Backup.GetProperty("status").GetString().ShouldBe("degraded");
        (await service.Anonymous.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(await service.Anonymous.GetStringAsync("/health")).RootElement.GetProperty("status").GetString().ShouldBe("degraded");

        var backup = await BackupTesting.BackUpAsync(service);
        clock.Advance(TimeSpan.FromMinutes(20));
        var fresh = await HealthAsync(service);
        fresh.Status.ShouldBe("healthy");
        fresh.Backup.GetProperty("data").GetProperty("snapshot").GetString().ShouldBe(backup.SnapshotId);
        fresh.Backup.GetProperty("data").GetProperty("ageSeconds").GetDouble().ShouldBe(1200, tolerance: 1);
        var metrics = await service.Admin.GetStringAsync("/metrics");
        metrics.ShouldContain("storage_backup_age_seconds{otel_scope_name=\"StorageApi\"} 1200");
        metrics.ShouldContain("storage_backup_failures_total{otel_scope_name=\"StorageApi\"} 0");

        clock.Advance(TimeSpan.FromMinutes(11));
        (await HealthAsync(service)).Status.ShouldBe("degraded");
    }

    [Fact]
    public async Task The_scheduler_takes_the_first_backup_shortly_after_start()
    {
        using var backups = new BackupTesting();
        await using var service = await RunningService.StartAsync(backups.Variables(), configureServices: services =>
            services.AddSingleton(new BackupSchedule { FirstRunAfter = TimeSpan.Zero, Poll = TimeSpan.FromMilliseconds(100) }));
        await ObjectSnapshots.UploadAsync((await service.CreateTenantAsync("acme")).Http, "a.bin", ObjectSnapshots.RandomBytes(1000));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        LastGoodBackup? last = null;
        while (last is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            last = await service.Services.GetRequiredService<BackupStatus>().ReadAsync(CancellationToken.None);
        }

        last.ShouldNotBeNull();
        backups.TargetFiles().Keys.ShouldContain(BackupLayout.Manifest(last.SnapshotId));
    }

    [Fact]
    public async Task A_scheduled_backup_that_fails_is_counted_in_metrics()
    {
        using var backups = new BackupTesting();
        await using (var first = await backups.StartAsync()) await BackupTesting.BackUpAsync(first);
        await using var service = await RunningService.StartAsync(backups.Variables(BackupTesting.NewKey()), configureServices: services =>
            services.AddSingleton(new BackupSchedule { FirstRunAfter = TimeSpan.Zero, Poll = TimeSpan.FromMilliseconds(100) }));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        var metrics = "";
        while (!metrics.Contains("storage_backup_failures_total{otel_scope_name=\"StorageApi\"} 1") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            metrics = await service.Admin.GetStringAsync("/metrics");
        }

        metrics.ShouldContain("storage_backup_failures_total{otel_scope_name=\"StorageApi\"} 1"); // then it waits a minute before trying again
    }

    private static async Task<(string Status, JsonElement Backup)> HealthAsync(RunningService service)
    {
        var response = await service.Admin.GetAsync("/health");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (health.GetProperty("status").GetString()!, health.GetProperty("checks").GetProperty(BackupsExtensions.HealthCheckName).Clone());
    }
}
