using Microsoft.Extensions.DependencyInjection;
using StorageApi.Backups;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Backups;

/// <summary>What a backup does when the bytes it should copy are gone or wrong, and when another instance is already backing up.</summary>
public sealed class BackupSourceFaultTests
{
    [Fact]
    public async Task Bytes_deleted_before_their_copy_are_reported_missing_and_the_rest_is_backed_up()
    {
        using var backups = new BackupTesting();
        await using var service = await backups.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        await ObjectSnapshots.UploadAsync(acme.Http, "kept.bin", ObjectSnapshots.RandomBytes(1000));
        await ObjectSnapshots.UploadAsync(acme.Http, "gone.bin", ObjectSnapshots.RandomBytes(1000));
        var goneSha = await ShaOfAsync(acme, "gone.bin");
        File.Delete(Path.Combine(service.Settings.BlobDirectory, await service.BlobKeyOfAsync("acme", goneSha))); // as a delete racing the backup would

        var result = await BackupTesting.BackUpAsync(service);

        result.BlobsUploaded.ShouldBe(1);
        result.MissingBlobs.ShouldBe([$"acme/{goneSha}"]);
        result.ToString().ShouldContain("1 blobs were deleted before they could be copied");
    }

    [Fact]
    public async Task Bytes_that_do_not_match_their_sha256_fail_the_backup_loudly_and_no_snapshot_is_written()
    {
        using var backups = new BackupTesting();
        await using var service = await backups.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        await ObjectSnapshots.UploadAsync(acme.Http, "a.bin", ObjectSnapshots.RandomBytes(1000));
        var sha = await ShaOfAsync(acme, "a.bin");
        var file = Path.Combine(service.Settings.BlobDirectory, await service.BlobKeyOfAsync("acme", sha));
        await File.WriteAllBytesAsync(file, ObjectSnapshots.RandomBytes(1000)); // bit rot on the disk

        var failed = await Should.ThrowAsync<BackupException>(() => BackupTesting.BackUpAsync(service));

        failed.Message.ShouldContain($"blob acme/{sha}");
        failed.Message.ShouldContain("should have sha256");
        backups.TargetFiles().Keys.ShouldAllBe(f => !f.StartsWith(BackupLayout.SnapshotsPrefix, StringComparison.Ordinal) && !f.StartsWith(BackupLayout.BlobsPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_lease_lets_one_instance_back_up_at_a_time_until_its_holder_releases_it_or_it_expires()
    {
        using var backups = new BackupTesting();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await backups.StartAsync(clock: clock);
        var lease = service.Services.GetRequiredService<BackupLease>();

        (await lease.TryTakeAsync("blue", CancellationToken.None)).Taken.ShouldBeTrue();
        var refused = await lease.TryTakeAsync("green", CancellationToken.None);
        refused.Taken.ShouldBeFalse();
        refused.OtherHolder!.ShouldStartWith("blue until ");
        await Should.ThrowAsync<BackupBusyException>(() => BackupTesting.BackUpAsync(service));

        clock.Advance(BackupLease.Duration + TimeSpan.FromSeconds(1)); // blue died without releasing it
        (await lease.TryTakeAsync("green", CancellationToken.None)).Taken.ShouldBeTrue();
        await Should.ThrowAsync<BackupException>(() => lease.RenewAsync("blue", CancellationToken.None));
        await lease.ReleaseAsync("green", CancellationToken.None);
        (await BackupTesting.BackUpAsync(service)).BlobsUploaded.ShouldBe(0);
    }

    private static async Task<string> ShaOfAsync(TenantClient tenant, string filename)
    {
        var list = System.Text.Json.JsonDocument.Parse(await tenant.Http.GetStringAsync("/v1/objects")).RootElement.GetProperty("items");
        return list.EnumerateArray().Single(o => o.GetProperty("filename").GetString() == filename).GetProperty("sha256").GetString()!;
    }
}
