using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Data;
using StorageApi.Objects;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>
/// Downloads of hot objects are answered from each instance's memory (<see cref="ObjectContentCache"/>), yet every
/// change holds: at once on the instance that made it, within a second on another instance on the same database.
/// </summary>
public sealed class ObjectContentCacheTests
{
    [Fact]
    public async Task A_cached_object_deleted_through_this_instance_is_gone_at_once()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = await UploadAsync(acme, "hello");
        await DownloadUntilCachedAsync(service, acme.Http, id);

        (await acme.Http.DeleteAsync($"/v1/objects/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await acme.Http.GetAsync($"/v1/objects/{id}/content")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task A_cached_public_object_made_private_through_this_instance_is_refused_to_anonymous_callers_at_once()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = await UploadAsync(acme, "shared", isPublic: true);
        await DownloadUntilCachedAsync(service, service.Anonymous, id);

        (await acme.Http.PatchAsync($"/v1/objects/{id}", PatchTests.Json("""{"public":false}"""))).EnsureSuccessStatusCode();

        await (await service.Anonymous.GetAsync($"/v1/objects/{id}/content")).ShouldBeProblemAsync(401);
        var own = await acme.Http.GetAsync($"/v1/objects/{id}/content");
        own.Headers.CacheControl!.Private.ShouldBeTrue();
    }

    [Fact]
    public async Task Changes_through_another_instance_on_the_same_database_are_seen_within_a_second()
    {
        using var shared = new TempFolder();
        await using var first = await RunningService.StartAsync(root: shared.Path);
        await using var second = await RunningService.StartAsync(root: shared.Path);
        var acme = await first.CreateTenantAsync("acme");
        var madePrivate = await UploadAsync(acme, "public for now", isPublic: true);
        var deleted = await UploadAsync(acme, "deleted soon");
        using var throughSecond = second.CreateClient(acme.Key);
        await DownloadUntilCachedAsync(second, second.Anonymous, madePrivate);
        await DownloadUntilCachedAsync(second, throughSecond, deleted);

        var clock = Stopwatch.StartNew();
        (await acme.Http.PatchAsync($"/v1/objects/{madePrivate}", PatchTests.Json("""{"public":false}"""))).EnsureSuccessStatusCode();
        (await acme.Http.DeleteAsync($"/v1/objects/{deleted}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var changedAfter = clock.Elapsed;

        await WaitForStatusAsync(second.Anonymous, $"/v1/objects/{madePrivate}/content", HttpStatusCode.Unauthorized, clock);
        await WaitForStatusAsync(throughSecond, $"/v1/objects/{deleted}/content", HttpStatusCode.NotFound, clock);
        (clock.Elapsed - changedAfter).ShouldBeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_cached_object_past_its_expiry_is_not_served()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock);
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("temp.txt", "temporary", new Dictionary<string, string> { ["ttlHours"] = "1" })).GetProperty("id").GetString()!;
        await DownloadUntilCachedAsync(service, acme.Http, id);

        clock.Advance(TimeSpan.FromMinutes(61));

        await (await acme.Http.GetAsync($"/v1/objects/{id}/content")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task A_database_restored_under_a_running_instance_makes_it_forget_objects_the_backup_does_not_have()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var kept = await UploadAsync(acme, "in the backup");
        var backup = Path.Combine(service.Root, "before.db");
        var maintenance = service.Services.GetRequiredService<DatabaseMaintenance>();
        await maintenance.BackupAsync(backup);
        var newer = await UploadAsync(acme, "after the backup");
        await DownloadUntilCachedAsync(service, acme.Http, newer);

        var clock = Stopwatch.StartNew();
        await maintenance.RestoreAsync(backup);

        await WaitForStatusAsync(acme.Http, $"/v1/objects/{newer}/content", HttpStatusCode.NotFound, clock);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
        (await acme.Http.GetStringAsync($"/v1/objects/{kept}/content")).ShouldBe("in the backup");
    }

    private static async Task<string> UploadAsync(TenantClient tenant, string text, bool isPublic = false) =>
        (await tenant.Http.UploadTextAsync($"{text.Replace(' ', '-')}.txt", text, new Dictionary<string, string> { ["public"] = isPublic ? "true" : "false" }))
        .GetProperty("id").GetString()!;

    /// <summary>Downloads until the instance answers the object from memory, so the test is about the cache.</summary>
    private static async Task DownloadUntilCachedAsync(RunningService service, HttpClient client, string id)
    {
        var cache = service.Services.GetRequiredService<ObjectContentCache>();
        var clock = Stopwatch.StartNew();
        while (!cache.TryGet(id, out _))
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "the object never got into the cache");
            (await client.GetAsync($"/v1/objects/{id}/content")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await Task.Delay(50);
        }
    }

    private static async Task WaitForStatusAsync(HttpClient client, string path, HttpStatusCode wanted, Stopwatch clock)
    {
        HttpStatusCode status;
        while ((status = (await client.GetAsync(path)).StatusCode) == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(20);
        status.ShouldBe(wanted);
    }
}
