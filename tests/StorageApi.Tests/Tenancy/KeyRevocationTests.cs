using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Tenancy;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Tenancy;

/// <summary>
/// Keys are answered from each instance's memory (<see cref="ApiKeyCache"/>), yet a revocation holds: at once on the
/// instance that revoked the key, within a second on another instance on the same database (SQLite file or PostgreSQL).
/// </summary>
public sealed class KeyRevocationTests
{
    [Fact]
    public async Task A_cached_key_revoked_through_this_instance_is_refused_at_once()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "hello")).GetProperty("id").GetString()!;
        await UseUntilCachedAsync(service, acme.Http, acme.Key);

        (await service.Admin.DeleteAsync($"/v1/admin/tenants/acme/keys/{await KeyIdAsync(service)}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await acme.Http.GetAsync("/v1/objects")).ShouldBeProblemAsync(401);
        await (await acme.Http.GetAsync($"/v1/objects/{id}/content")).ShouldBeProblemAsync(401);
    }

    [Fact]
    public async Task A_cached_key_revoked_through_another_instance_on_the_same_database_is_refused_within_a_second()
    {
        using var shared = new TempFolder();
        await using var first = await RunningService.StartAsync(root: shared.Path);
        await using var second = await RunningService.StartAsync(root: shared.Path);
        var acme = await first.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "hello")).GetProperty("id").GetString()!;
        using var throughSecond = second.CreateClient(acme.Key);
        await UseUntilCachedAsync(second, throughSecond, acme.Key);
        (await throughSecond.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("hello");

        var clock = Stopwatch.StartNew();
        (await first.Admin.DeleteAsync($"/v1/admin/tenants/acme/keys/{await KeyIdAsync(first)}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var revokedAfter = clock.Elapsed;
        await (await acme.Http.GetAsync("/v1/objects")).ShouldBeProblemAsync(401); // the revoking instance: at once

        HttpStatusCode status;
        do
        {
            status = (await throughSecond.GetAsync($"/v1/objects/{id}/content")).StatusCode;
            if (status == HttpStatusCode.OK) await Task.Delay(20);
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5));

        status.ShouldBe(HttpStatusCode.Unauthorized);
        (clock.Elapsed - revokedAfter).ShouldBeLessThan(TimeSpan.FromSeconds(1));
        await (await throughSecond.GetAsync("/v1/objects")).ShouldBeProblemAsync(401);
    }

    /// <summary>Calls with the key until the instance answers it from memory, so the test is about the cache.</summary>
    private static async Task UseUntilCachedAsync(RunningService service, HttpClient client, string key)
    {
        var cache = service.Services.GetRequiredService<ApiKeyCache>();
        var clock = Stopwatch.StartNew();
        while (!cache.TryGet(Secrets.Hash(key), out _))
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "the key never got into the cache");
            (await client.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await Task.Delay(50);
        }
    }

    private static async Task<string> KeyIdAsync(RunningService service)
    {
        var keys = JsonDocument.Parse(await service.Admin.GetStringAsync("/v1/admin/tenants/acme/keys")).RootElement;
        return keys.EnumerateArray().Single().GetProperty("id").GetString()!;
    }
}
