using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Health_reports_version_commit_environment_instance_uptime_and_every_check()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { [KnownVariables.TenantId] = "acme" });

        var response = await service.Anonymous.GetAsync("/health");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        health.GetProperty("status").GetString().ShouldBe("healthy");
        health.GetProperty("version").GetString().ShouldBe(StorageApi.Health.BuildInfo.Current.Version);
        health.GetProperty("commit").GetString().ShouldNotBeNullOrEmpty();
        health.GetProperty("environment").GetString().ShouldBe("development");
        health.GetProperty("tenant").GetString().ShouldBe("acme");
        health.GetProperty("instance").GetString().ShouldNotBeNullOrEmpty();
        health.GetProperty("startedAt").GetDateTime().ShouldBeLessThanOrEqualTo(DateTime.UtcNow);
        health.GetProperty("uptimeSeconds").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        var checks = health.GetProperty("checks");
        foreach (var name in new[] { "database", "migrations", "dataDirectory", "freeDisk" })
            checks.GetProperty(name).GetProperty("status").GetString().ShouldBe("healthy", name);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task Live_and_ready_answer_200_without_a_key()
    {
        await using var service = await RunningService.StartAsync();
        (await service.Anonymous.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await service.Anonymous.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Too_little_free_disk_makes_the_instance_not_ready_but_still_live()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            [KnownVariables.MinFreeDiskMegabytes] = (long.MaxValue / (1024 * 1024)).ToString(),
        });

        var ready = await service.Anonymous.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("status").GetString().ShouldBe("unhealthy");
        body.GetProperty("checks").GetProperty("freeDisk").GetProperty("status").GetString().ShouldBe("unhealthy");
        body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().ShouldBe("healthy");
        (await service.Anonymous.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await service.Anonymous.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Outside_development_an_unmigrated_database_is_not_ready_and_nothing_is_migrated_behind_the_operators_back()
    {
        using var folder = new TempFolder();
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            [KnownVariables.Environment] = "staging",
            [KnownVariables.DatabaseUrl] = "sqlite:///" + folder.Combine("staging.db"),
        }, root: folder.Path);

        var ready = await service.Anonymous.GetAsync("/health/ready");

        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var migrations = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("migrations");
        migrations.GetProperty("status").GetString().ShouldBe("unhealthy");
        migrations.GetProperty("description").GetString()!.ShouldContain("InitialSchema");

        var applied = await service.Services.GetRequiredService<StorageApi.Data.DatabaseMaintenance>().MigrateAsync();
        applied.ShouldNotBeEmpty();
        (await service.Anonymous.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
