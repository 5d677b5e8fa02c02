using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Errors;
using StorageApi.ObjectStores;
using StorageApi.Objects;
using StorageApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace StorageApi.Tests.Objects;

/// <summary>
/// <c>storage-api blobs migrate</c> through the class the verb runs, on a running service: every blob copied verified
/// and switched, old copies gone, objects downloadable throughout, resumable, corrupt bytes refused.
/// </summary>
public sealed class BlobMigrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_blob_of_every_tenant_moves_to_another_folder_and_still_downloads_with_its_sha256()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var globex = await service.CreateTenantAsync("globex");
        var objects = (await UploadAsync(acme, 12, 64 * 1024)).Concat(await UploadAsync(globex, 8, 64 * 1024)).ToList();
        var shared = await acme.Http.UploadTextAsync("copy.txt", "same bytes twice");
        await acme.Http.UploadTextAsync("copy-again.txt", "same bytes twice"); // one row for both objects
        objects.Add(new Uploaded(acme, shared.GetProperty("id").GetString()!, shared.GetProperty("sha256").GetString()!));
        var before = await RowsAsync(service);
        using var folder = new TempFolder();
        var target = Target(service, "file://" + folder.Combine("moved"));

        var summary = await Migration(service).RunAsync(target, null, output.WriteLine, CancellationToken.None);

        output.WriteLine($"{summary.Copied} blobs, {summary.Bytes} bytes in {summary.Duration.TotalSeconds:0.00} s ({summary.MegabytesPerSecond:0.0} MB/s)");
        summary.Copied.ShouldBe(before.Count);
        summary.Bytes.ShouldBe(before.Sum(b => b.Size));
        (summary.Skipped, summary.Gone, summary.Remaining).ShouldBe((0, 0, 0));
        await ShouldAllBeInAsync(service, target, before, objects);

        var again = await Migration(service).RunAsync(target, null, output.WriteLine, CancellationToken.None);
        (again.Copied, again.Skipped, again.Remaining).ShouldBe((0, before.Count, 0));
    }

    [Fact]
    public async Task Blobs_move_to_an_s3_bucket_and_still_download_with_their_sha256()
    {
        var s3 = await S3Server.InstanceAsync();
        var bucket = await s3.CreateBucketAsync();
        var reach = s3.VariablesFor(bucket).Where(v => v.Key != KnownVariables.BlobStoreUrl).ToDictionary(v => v.Key, v => (string?)v.Value);
        await using var service = await RunningService.StartAsync(reach);
        var acme = await service.CreateTenantAsync("acme");
        var objects = await UploadAsync(acme, 20, 256 * 1024);
        var before = await RowsAsync(service);
        var target = Target(service, $"s3://{bucket}/moved");

        var summary = await Migration(service).RunAsync(target, "acme", output.WriteLine, CancellationToken.None);

        output.WriteLine($"to S3: {summary.Copied} blobs, {summary.Bytes} bytes in {summary.Duration.TotalSeconds:0.00} s ({summary.MegabytesPerSecond:0.0} MB/s)");
        (summary.Copied, summary.Remaining).ShouldBe((20, 0));
        await ShouldAllBeInAsync(service, target, before, objects);
    }

    [Fact]
    public async Task Objects_download_without_a_single_failure_while_their_blobs_move()
    {
        // Downloads as fast as four readers go: the tenant's rate limit is not what this test is about.
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            [KnownVariables.RequestsPerMinute] = "1000000", [KnownVariables.RequestBurst] = "100000",
        });
        var acme = await service.CreateTenantAsync("acme");
        var objects = await UploadAsync(acme, 50, 128 * 1024);
        var before = await RowsAsync(service);
        using var folder = new TempFolder();
        var target = Target(service, "file://" + folder.Path);
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var downloads = 0;
        var readers = Enumerable.Range(0, 4).Select(reader => Task.Run(async () =>
        {
            for (var i = reader; !stop.IsCancellationRequested; i++)
            {
                var item = objects[i % objects.Count];
                try
                {
                    var sha = await DownloadSha256Async(item);
                    if (sha != item.Sha256) lock (failures) failures.Add($"{item.Id}: sha256 {sha}");
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add($"{item.Id}: {e.Message}");
                }
                Interlocked.Increment(ref downloads);
            }
        })).ToList();

        var summary = await Migration(service).RunAsync(target, "acme", output.WriteLine, CancellationToken.None);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        output.WriteLine($"{downloads} downloads during a migration of {summary.Copied} blobs in {summary.Duration.TotalSeconds:0.0} s");
        failures.ShouldBeEmpty();
        downloads.ShouldBeGreaterThan(objects.Count);
        await ShouldAllBeInAsync(service, target, before, objects);
    }

    [Fact]
    public async Task An_interrupted_migration_resumes_where_it_stopped_and_leaves_nothing_behind()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var objects = await UploadAsync(acme, 30, 32 * 1024);
        var before = await RowsAsync(service);
        using var folder = new TempFolder();
        var target = Target(service, "file://" + folder.Path);
        using var interrupt = new CancellationTokenSource();
        var first = Migration(service, afterEachBlob: copied => { if (copied == 10) interrupt.Cancel(); });

        await Should.ThrowAsync<OperationCanceledException>(() => first.RunAsync(target, null, output.WriteLine, interrupt.Token));

        var moved = (await RowsAsync(service)).Count(r => r.Store == target.Text);
        moved.ShouldBeInRange(10, 10 + 3, "the tenth, and the copies in flight beside it whose rows were being switched");
        foreach (var item in objects) (await DownloadSha256Async(item)).ShouldBe(item.Sha256);
        var resumed = await Migration(service).RunAsync(target, null, output.WriteLine, CancellationToken.None);
        (resumed.Copied, resumed.Skipped, resumed.Remaining).ShouldBe((30 - moved, moved, 0));
        await ShouldAllBeInAsync(service, target, before, objects);
    }

    [Fact]
    public async Task Bytes_that_do_not_match_their_sha256_are_refused_by_name_and_their_row_stays()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var objects = await UploadAsync(acme, 5, 16 * 1024);
        var victim = objects[2];
        var row = (await RowsAsync(service)).Single(r => r.Sha256 == victim.Sha256);
        var source = service.Services.GetRequiredService<ObjectStoreFactory>().Open(row.Store);
        await source.PutAsync(row.Key, new MemoryStream(RandomNumberGenerator.GetBytes((int)row.Size)), CancellationToken.None); // rot in place
        using var folder = new TempFolder();
        var target = Target(service, "file://" + folder.Path);

        var refused = await Should.ThrowAsync<BlobCorruptException>(() => Migration(service).RunAsync(target, null, output.WriteLine, CancellationToken.None));

        output.WriteLine(refused.Message);
        refused.Message.ShouldContain(victim.Sha256);
        refused.Message.ShouldContain("tenant acme");
        refused.Message.ShouldContain(row.Store);
        var after = await RowsAsync(service);
        after.Single(r => r.Sha256 == victim.Sha256).ShouldSatisfyAllConditions(r => r.Store.ShouldBe(row.Store), r => r.Key.ShouldBe(row.Key));
        (await KeysAsync(service.Services.GetRequiredService<ObjectStoreFactory>().Open(target)))
            .ShouldBe([.. after.Where(r => r.Store == target.Text).Select(r => r.Key).Order()], "no copy of the refused blob, nor any other key without a row");
    }

    [Fact]
    public async Task A_dedicated_instance_moves_only_its_tenant_and_refuses_another()
    {
        using var root = new TempFolder();
        await using (var shared = await RunningService.StartAsync(root: root.Path))
        {
            await UploadAsync(await shared.CreateTenantAsync("acme"), 3, 1024);
            await UploadAsync(await shared.CreateTenantAsync("globex"), 3, 1024);
        }
        await using var dedicated = await RunningService.StartAsync(new Dictionary<string, string?> { [KnownVariables.TenantId] = "acme" }, root: root.Path);
        using var folder = new TempFolder();
        var target = Target(dedicated, "file://" + folder.Path);

        var refused = await Should.ThrowAsync<InvalidValueException>(() => Migration(dedicated).RunAsync(target, "globex", output.WriteLine, CancellationToken.None));
        var summary = await Migration(dedicated).RunAsync(target, null, output.WriteLine, CancellationToken.None);

        refused.Message.ShouldContain("only tenant acme");
        summary.Copied.ShouldBe(3);
        var rows = await RowsAsync(dedicated);
        rows.Where(r => r.TenantId == "acme").ShouldAllBe(r => r.Store == target.Text);
        rows.Where(r => r.TenantId == "globex").ShouldAllBe(r => r.Store != target.Text);
    }

    [Fact]
    public async Task Keys_without_a_row_left_in_the_store_moved_out_of_are_removed_once_a_day_old()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var objects = await UploadAsync(acme, 3, 4096);
        using var folder = new TempFolder();
        var target = Target(service, "file://" + folder.Path);
        var before = await RowsAsync(service);
        await Migration(service).RunAsync(target, null, output.WriteLine, CancellationToken.None);
        var source = service.Services.GetRequiredService<ObjectStoreFactory>().Blobs; // what a crash within the grace leaves there
        var leftovers = new[] { BlobStore.NewKey("acme"), BlobStore.NewKey("acme") };
        foreach (var key in leftovers) await source.PutAsync(key, new MemoryStream([1, 2, 3]), CancellationToken.None);

        var fresh = await Migration(service).RunAsync(target, null, output.WriteLine, CancellationToken.None);
        var dayOld = await Migration(service, sweepAge: TimeSpan.Zero).RunAsync(target, null, output.WriteLine, CancellationToken.None);

        fresh.Swept.ShouldBe(0, "younger than a day: it may be an upload in flight");
        dayOld.Swept.ShouldBe(2);
        (await KeysAsync(source)).ShouldBeEmpty();
        await ShouldAllBeInAsync(service, target, before, objects);
    }

    private sealed record Uploaded(TenantClient Tenant, string Id, string Sha256);

    private static async Task<List<Uploaded>> UploadAsync(TenantClient tenant, int count, int size)
    {
        var uploaded = new List<Uploaded>();
        for (var i = 0; i < count; i++)
        {
            var bytes = RandomNumberGenerator.GetBytes(size);
            var response = await tenant.Http.PostAsync("/v1/objects", Uploads.Multipart($"blob-{i}.bin", bytes, "application/octet-stream"));
            response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var created = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content);
            uploaded.Add(new Uploaded(tenant, created.GetProperty("id").GetString()!, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }
        return uploaded;
    }

    private static async Task<string> DownloadSha256Async(Uploaded item)
    {
        using var response = await item.Tenant.Http.GetAsync($"/v1/objects/{item.Id}/content", HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await using var body = await response.Content.ReadAsStreamAsync();
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(body));
    }

    private static BlobMigration Migration(RunningService service, Action<int>? afterEachBlob = null, TimeSpan? sweepAge = null) =>
        new(service.Services.GetRequiredService<IServiceScopeFactory>(), service.Services.GetRequiredService<ObjectStoreFactory>(),
            service.Settings, service.Services.GetRequiredService<ILogger<BlobMigration>>())
        {
            Grace = TimeSpan.FromSeconds(2),
            ProgressInterval = TimeSpan.FromSeconds(1),
            AfterEachBlob = afterEachBlob,
            SweepAge = sweepAge ?? OrphanSweeper.MinimumAge,
        };

    private static ObjectStoreUrl Target(RunningService service, string url) => ObjectStoreUrl.Parse(url, service.Settings.BlobDirectory);

    private static async Task<List<Blob>> RowsAsync(RunningService service)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StorageDb>().Blobs.AsNoTracking().OrderBy(b => b.TenantId).ThenBy(b => b.Sha256).ToListAsync();
    }

    private static async Task<List<string>> KeysAsync(IObjectStore store) =>
        [.. (await store.ListAsync("", CancellationToken.None).ToListAsync()).Select(k => k.Key).Where(k => k != StoreOwnership.MarkerKey).Order()];

    /// <summary>Rows point into the target, which holds exactly their keys; the old copies are gone; every object downloads intact.</summary>
    private static async Task ShouldAllBeInAsync(RunningService service, ObjectStoreUrl target, List<Blob> before, IEnumerable<Uploaded> objects)
    {
        var stores = service.Services.GetRequiredService<ObjectStoreFactory>();
        var after = await RowsAsync(service);
        after.Select(r => (r.TenantId, r.Sha256, r.Size)).ShouldBe(before.Select(r => (r.TenantId, r.Sha256, r.Size)));
        after.ShouldAllBe(r => r.Store == target.Text);
        (await KeysAsync(stores.Open(target))).ShouldBe([.. after.Select(r => r.Key).Order()]);
        foreach (var old in before)
            await Should.ThrowAsync<ObjectKeyNotFoundException>(() => stores.Open(old.Store).OpenReadAsync(old.Key, 0, CancellationToken.None), $"old copy {old.Key}");
        foreach (var item in objects) (await DownloadSha256Async(item)).ShouldBe(item.Sha256);
    }
}
