using System.Text;
using StorageApi.Backups;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Backups;

/// <summary>A backup restored into a fresh data folder and database serves every object as it was; a later backup sends only what is new.</summary>
public sealed class BackupRoundTripTests
{
    [Fact]
    public async Task Restoring_a_backup_into_a_fresh_data_folder_serves_every_object_byte_identical_with_its_metadata()
    {
        using var backups = new BackupTesting();
        await using var original = await backups.StartAsync();
        var acme = await original.CreateTenantAsync("acme");
        var globex = await original.CreateTenantAsync("globex");
        var shared = Encoding.UTF8.GetBytes("the same bytes in two tenants and twice in one");
        await ObjectSnapshots.UploadAsync(acme.Http, "big.bin", ObjectSnapshots.RandomBytes(3 * 1024 * 1024 + 17)); // several chunks and a short last one
        await ObjectSnapshots.UploadAsync(acme.Http, "exact.bin", ObjectSnapshots.RandomBytes(1024 * 1024)); // exactly one full chunk
        await ObjectSnapshots.UploadAsync(acme.Http, "empty.txt", []);
        await ObjectSnapshots.UploadAsync(acme.Http, "a.txt", shared, new Dictionary<string, string> { ["title"] = "A", ["tags"] = "x,y", ["metadata"] = """{"n":1}""" });
        await ObjectSnapshots.UploadAsync(acme.Http, "b.txt", shared);
        await ObjectSnapshots.UploadAsync(globex.Http, "c.txt", shared, new Dictionary<string, string> { ["collection"] = "docs" });
        var before = (Acme: await ObjectSnapshots.ReadAllAsync(acme), Globex: await ObjectSnapshots.ReadAllAsync(globex));

        var backup = await BackupTesting.BackUpAsync(original);

        backup.Objects.ShouldBe(6);
        backup.BlobsUploaded.ShouldBe(5); // acme: big, exact, empty, shared; globex: shared
        backup.BlobsSkipped.ShouldBe(0);
        backup.MissingBlobs.ShouldBeEmpty();
        // Nothing readable leaves the host: no name reveals a sha256, no file holds the plaintext.
        var files = backups.TargetFiles();
        foreach (var (_, sha) in before.Acme.Values) files.Keys.ShouldAllBe(f => !f.Contains(sha));
        foreach (var file in files.Keys.Where(f => f != BackupLayout.Root))
            File.ReadAllText(Path.Combine(backups.Target, file)).ShouldNotContain("the same bytes");

        var root = backups.NewRoot();
        var restored = await backups.RestoreAsync(root);
        restored.Snapshot.Id.ShouldBe(backup.SnapshotId);
        restored.Blobs.ShouldBe(5);

        await using var replacement = await backups.StartAsync(root: root);
        (await ObjectSnapshots.ReadAllAsync(acme with { Http = replacement.CreateClient(acme.Key) })).ShouldBe(before.Acme);
        (await ObjectSnapshots.ReadAllAsync(globex with { Http = replacement.CreateClient(globex.Key) })).ShouldBe(before.Globex);
    }

    [Fact]
    public async Task A_second_backup_after_new_uploads_sends_exactly_the_new_blobs()
    {
        using var backups = new BackupTesting();
        await using var service = await backups.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        for (var i = 0; i < 5; i++) await ObjectSnapshots.UploadAsync(acme.Http, $"old{i}.bin", ObjectSnapshots.RandomBytes(100_000));
        var first = await BackupTesting.BackUpAsync(service);
        int[] newSizes = [300_000, 1024 * 1024 + 1, 5];
        foreach (var size in newSizes) await ObjectSnapshots.UploadAsync(acme.Http, $"new{size}.bin", ObjectSnapshots.RandomBytes(size));

        var second = await BackupTesting.BackUpAsync(service);

        first.BlobsUploaded.ShouldBe(5);
        second.BlobsUploaded.ShouldBe(newSizes.Length);
        second.BlobsSkipped.ShouldBe(5);
        second.Objects.ShouldBe(8);
        // Each blob costs its bytes, a 13-byte header and a 16-byte tag per chunk of 1 MiB: nothing of the old ones.
        second.BlobBytesSent.ShouldBe(newSizes.Sum(s => s + ChunkedEncryption.HeaderSize + ChunkedEncryption.TagSize * (s / ChunkedEncryption.ChunkSize + 1)));
        second.BytesSent.ShouldBeGreaterThan(second.BlobBytesSent); // and the database and the manifest
    }
}
