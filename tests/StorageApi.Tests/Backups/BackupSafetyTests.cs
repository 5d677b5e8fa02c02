using StorageApi.Backups;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Backups;

/// <summary>A wrong key, a damaged file or a non-empty destination stop a backup or restore with one clear error, and change nothing.</summary>
public sealed class BackupSafetyTests
{
    [Fact]
    public async Task A_wrong_key_is_one_clear_error_for_backup_and_restore_and_changes_nothing()
    {
        using var backups = new BackupTesting();
        await using (var service = await backups.StartAsync())
        {
            await ObjectSnapshots.UploadAsync((await service.CreateTenantAsync("acme")).Http, "a.bin", ObjectSnapshots.RandomBytes(1000));
            await BackupTesting.BackUpAsync(service);
        }
        var before = backups.TargetFiles();
        var otherKey = BackupTesting.NewKey();

        await using (var wrong = await backups.StartAsync(backups.Variables(otherKey)))
        {
            await ObjectSnapshots.UploadAsync((await wrong.CreateTenantAsync("acme")).Http, "b.bin", ObjectSnapshots.RandomBytes(1000));
            var refused = await Should.ThrowAsync<BackupKeyMismatchException>(() => BackupTesting.BackUpAsync(wrong));
            refused.Message.ShouldStartWith("BACKUP_KEY does not match the key these backups were made with");
        }
        var root = backups.NewRoot();
        await Should.ThrowAsync<BackupKeyMismatchException>(() => backups.RestoreAsync(root, key: otherKey));

        backups.TargetFiles().ShouldBe(before);
        Directory.Exists(Path.Combine(root, "data", "blobs")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_tampered_blob_or_database_file_fails_the_restore_naming_the_file_and_leaves_no_blob_behind()
    {
        using var backups = new BackupTesting();
        await using (var service = await backups.StartAsync())
        {
            await ObjectSnapshots.UploadAsync((await service.CreateTenantAsync("acme")).Http, "a.bin", ObjectSnapshots.RandomBytes(2 * 1024 * 1024));
            await BackupTesting.BackUpAsync(service);
        }
        var blob = backups.TargetFiles().Keys.Single(f => f.StartsWith(BackupLayout.BlobsPrefix, StringComparison.Ordinal));
        FlipByte(Path.Combine(backups.Target, blob), offset: 1024 * 1024 + 100); // inside the second chunk
        var root = backups.NewRoot();

        var damaged = await Should.ThrowAsync<BackupDamagedException>(() => backups.RestoreAsync(root));

        damaged.Message.ShouldContain(blob);
        damaged.Message.ShouldContain("chunk 1");
        Directory.EnumerateFiles(Path.Combine(root, "data", "blobs"), "*", SearchOption.AllDirectories)
            .ShouldAllBe(f => f.Contains(".staging"));

        FlipByte(Path.Combine(backups.Target, blob), offset: 1024 * 1024 + 100); // back as it was
        var database = backups.TargetFiles().Keys.Single(f => f.EndsWith(BackupLayout.DatabaseSuffix, StringComparison.Ordinal));
        await using (var file = File.OpenWrite(Path.Combine(backups.Target, database))) file.SetLength(file.Length - 1); // cut short
        (await Should.ThrowAsync<BackupDamagedException>(() => backups.RestoreAsync(root))).Message.ShouldContain(database);
    }

    [Fact]
    public async Task Restore_refuses_a_data_folder_and_database_that_are_not_empty_and_changes_nothing()
    {
        using var backups = new BackupTesting();
        await using var service = await backups.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        await ObjectSnapshots.UploadAsync(acme.Http, "a.bin", ObjectSnapshots.RandomBytes(1000));
        await BackupTesting.BackUpAsync(service);
        await ObjectSnapshots.UploadAsync(acme.Http, "b.bin", ObjectSnapshots.RandomBytes(1000));
        var objects = await ObjectSnapshots.ReadAllAsync(acme);
        var blobFiles = service.BlobFiles();

        var refused = await Should.ThrowAsync<BackupException>(() => backups.RestoreAsync(service.Root));

        refused.Message.ShouldContain("is not empty");
        refused.Message.ShouldContain("nothing was changed");
        (await ObjectSnapshots.ReadAllAsync(acme)).ShouldBe(objects);
        service.BlobFiles().ShouldBe(blobFiles);
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x40));
    }
}
