using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StorageApi.ObjectStores;

/// <summary>
/// What .NET's file API lacks for fast durable writes: starting a file's writeback while it is still being written, and
/// flushing a directory, which is what makes a rename or a new entry in it survive a crash.
/// </summary>
internal static class DiskSync
{
    private const uint SyncFileRangeWrite = 2; // SYNC_FILE_RANGE_WRITE: start writing the range out, do not wait
    private const int ReadOnly = 0; // O_RDONLY, the same on every Unix

    /// <summary>
    /// Lets the disk work while the rest of the file arrives, so the fsync at the end finds little left to write (the
    /// kernel alone would start only once a tenth of the memory is dirty). Advisory: the final fsync reports any error.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
    {
        if (OperatingSystem.IsLinux()) _ = sync_file_range(file, offset, count, SyncFileRangeWrite);
    }

    /// <summary>fsync of a directory: its entries (a file renamed into it, a folder created in it) are on disk when this returns.</summary>
    public static void FlushDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) return; // no directory handles to flush there; NTFS journals its metadata
        var fd = open(path, ReadOnly);
        if (fd < 0) throw new IOException($"{path}: cannot open the folder to flush it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"{path}: flushing the folder failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = close(fd);
        }
    }

#pragma warning disable SYSLIB1054 // DllImport: LibraryImport would need unsafe code in the project for three plain calls
    [DllImport("libc", SetLastError = true)]
    private static extern int sync_file_range(SafeFileHandle fd, long offset, long nbytes, uint flags);

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
#pragma warning restore SYSLIB1054
}
