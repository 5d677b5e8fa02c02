using Microsoft.Extensions.DependencyInjection;
using StorageApi.Objects;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>Objects with a TTL disappear when it passes, and the sweep removes their bytes.</summary>
public sealed class ExpiryTests
{
    [Fact]
    public async Task An_expired_object_is_gone_at_once_and_its_bytes_after_the_sweep()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        var shortLived = (await acme.Http.UploadTextAsync("temp.txt", "temporary", new Dictionary<string, string> { ["ttlHours"] = "1" })).GetProperty("id").GetString();
        var lasting = await acme.Http.UploadTextAsync("keep.txt", "lasting");
        service.BlobFiles().Count.ShouldBe(2);

        clock.Advance(TimeSpan.FromMinutes(61));

        await (await acme.Http.GetAsync($"/v1/objects/{shortLived}")).ShouldBeProblemAsync(404);
        await (await acme.Http.GetAsync($"/v1/objects/{shortLived}/content")).ShouldBeProblemAsync(404);
        (await acme.Http.GetStringAsync("/v1/objects")).ShouldNotContain("temp.txt");

        var removed = await service.Services.GetRequiredService<ExpiredObjectSweeper>().SweepOnceAsync(CancellationToken.None);

        removed.ShouldBe(1);
        var sha = lasting.GetProperty("sha256").GetString()!;
        service.BlobFiles().ShouldBe([await service.BlobKeyOfAsync("acme", sha)]);
        (await acme.Http.GetStringAsync($"/v1/objects/{lasting.GetProperty("id").GetString()}/content")).ShouldBe("lasting");
    }

    [Fact]
    public async Task Before_its_ttl_an_object_is_served_and_the_sweep_keeps_it()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("temp.txt", "temporary", new Dictionary<string, string> { ["ttlHours"] = "2" })).GetProperty("id").GetString();

        clock.Advance(TimeSpan.FromMinutes(119));

        (await service.Services.GetRequiredService<ExpiredObjectSweeper>().SweepOnceAsync(CancellationToken.None)).ShouldBe(0);
        (await acme.Http.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("temporary");
    }
}
