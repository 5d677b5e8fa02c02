using System.Diagnostics;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// A tenant folder on its own small tmpfs, so a deploy can run out of disk there without touching the machine's.
/// The tenant's service is told to stay ready down to <see cref="MinFreeDiskMegabytes"/>, as MIN_FREE_DISK_MB.
/// </summary>
public sealed class SmallDisk(string tenant, int megabytes, int minFreeDiskMegabytes)
{
    private string? _mountPoint;

    public string Tenant => tenant;
    public int Megabytes => megabytes;
    public int MinFreeDiskMegabytes => minFreeDiskMegabytes;

    public async Task MountAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        await TestProcess.RequireAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", folder);
        _mountPoint = folder;
    }

    /// <summary>Call after the services on it are stopped; one still exiting keeps it busy a moment, so it retries, then detaches lazily.</summary>
    public async Task UnmountAsync()
    {
        if (_mountPoint is null) return;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if ((await TestProcess.RunAsync(new ProcessStartInfo("umount", [_mountPoint]))).ExitCode == 0) { _mountPoint = null; return; }
            await Task.Delay(250);
        }
        await TestProcess.RequireAsync("umount", "-l", _mountPoint);
        _mountPoint = null;
    }
}
