using StorageApi.Backups;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Backups;

/// <summary>Retention keeps the newest snapshot of each recent hour and day, and every blob a kept snapshot needs.</summary>
public sealed class BackupRetentionTests
{
    [Fact]
    public async Task Retention_removes_snapshots_outside_the_hours_and_days_kept_and_only_the_blobs_no_kept_snapshot_needs()
    {
        using var backups = new BackupTesting();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 30, 0, 10, 0, TimeSpan.Zero));
        await using var service = await backups.StartAsync(backups.Variables(keepHourly: 3, keepDaily: 2), clock);
        var acme = await service.CreateTenantAsync("acme");
        var a = await ObjectSnapshots.UploadAsync(acme.Http, "a.bin", ObjectSnapshots.RandomBytes(1000));
        var s1 = await BackupTesting.BackUpAsync(service); // 00:10 {a}
        clock.Advance(TimeSpan.FromMinutes(30));
        await ObjectSnapshots.UploadAsync(acme.Http, "b.bin", ObjectSnapshots.RandomBytes(1000));
        var s2 = await BackupTesting.BackUpAsync(service); // 00:40 {a, b}
        (await acme.Http.DeleteAsync($"/v1/objects/{a}")).EnsureSuccessStatusCode();
        await ObjectSnapshots.UploadAsync(acme.Http, "c.bin", ObjectSnapshots.RandomBytes(1000));
        clock.Advance(TimeSpan.FromMinutes(40));
        var s3 = await BackupTesting.BackUpAsync(service); // 01:20 {b, c}
        var atS3 = await ObjectSnapshots.ReadAllAsync(acme);

        // 00:40 replaced 00:10 as the newest of hour 00; it stays, and with it the blob of a, which only it still needs.
        s2.SnapshotsDeleted.ShouldBe(1);
        s3.SnapshotsDeleted.ShouldBe(0);
        s3.BlobsDeleted.ShouldBe(0);
        Snapshots(backups).ShouldBe([s2.SnapshotId, s3.SnapshotId]);

        clock.Advance(TimeSpan.FromMinutes(130));
        await ObjectSnapshots.UploadAsync(acme.Http, "d.bin", ObjectSnapshots.RandomBytes(1000));
        var s4 = await BackupTesting.BackUpAsync(service); // 03:30 {b, c, d}: hours 03, 02, 01 keep s4 and s3

        s4.SnapshotsDeleted.ShouldBe(1);
        s4.BlobsDeleted.ShouldBe(1);
        Snapshots(backups).ShouldBe([s3.SnapshotId, s4.SnapshotId]);
        backups.TargetFiles().Keys.Count(f => f.StartsWith(BackupLayout.BlobsPrefix, StringComparison.Ordinal)).ShouldBe(3);
        s1.BlobsUploaded.ShouldBe(1);

        // The older kept snapshot still restores completely: none of its blobs went.
        var root = backups.NewRoot();
        (await backups.RestoreAsync(root, at: s3.TakenAt)).Snapshot.Id.ShouldBe(s3.SnapshotId);
        await using var restored = await backups.StartAsync(root: root);
        (await ObjectSnapshots.ReadAllAsync(acme with { Http = restored.CreateClient(acme.Key) })).ShouldBe(atS3);
    }

    [Fact]
    public void The_policy_keeps_the_newest_of_each_kept_hour_and_day_and_always_the_newest()
    {
        var now = new DateTime(2026, 11, 30, 12, 30, 0, DateTimeKind.Utc);
        (string, DateTime)[] snapshots =
        [
            ("old", now.AddDays(-5)),
            ("day-2-early", now.AddDays(-2).AddHours(-3)), ("day-2-late", now.AddDays(-2)),
            ("day-1", now.AddDays(-1)),
            ("hour-1-early", now.AddMinutes(-80)), ("hour-1-late", now.AddMinutes(-40)),
            ("now-early", now.AddMinutes(-20)), ("now", now),
        ];

        RetentionPolicy.Keep(snapshots, now, hourly: 2, daily: 3).Order().ShouldBe(["day-1", "day-2-late", "hour-1-late", "now"]);
        RetentionPolicy.Keep(snapshots, now, hourly: 0, daily: 1).ShouldBe(["now"]);
        RetentionPolicy.Keep([("only", now.AddDays(-30))], now, hourly: 1, daily: 1).ShouldBe(["only"]);
    }

    private static string[] Snapshots(BackupTesting backups) =>
        [.. backups.TargetFiles().Keys.Select(BackupLayout.SnapshotIdOf).OfType<string>().Order(StringComparer.Ordinal)];
}
