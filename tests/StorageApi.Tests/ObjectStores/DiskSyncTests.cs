using StorageApi.ObjectStores;

namespace StorageApi.Tests.ObjectStores;

/// <summary>The folder flush that makes a renamed blob durable really reaches the system, and says so when it cannot.</summary>
public sealed class DiskSyncTests
{
    [Fact]
    public void Flushing_a_folder_succeeds_and_flushing_a_missing_one_is_an_error_naming_it()
    {
        using var folder = new TempFolder();

        DiskSync.FlushDirectory(folder.Path);

        var missing = Path.Combine(folder.Path, "missing");
        if (OperatingSystem.IsWindows()) return; // nothing to flush there
        Should.Throw<IOException>(() => DiskSync.FlushDirectory(missing)).Message.ShouldContain(missing);
    }

    [Fact]
    public async Task Starting_writeback_of_a_file_being_written_changes_nothing_in_it()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "file.bin");
        var bytes = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(bytes);

        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
        {
            await file.WriteAsync(bytes.AsMemory(0, 2 * 1024 * 1024));
            DiskSync.StartWriteback(file.SafeFileHandle, 0, 2 * 1024 * 1024);
            await file.WriteAsync(bytes.AsMemory(2 * 1024 * 1024));
            file.Flush(flushToDisk: true);
        }

        (await File.ReadAllBytesAsync(path)).ShouldBe(bytes);
    }
}
