using System.Diagnostics;

namespace Storagectl.Tests.Hosts;

/// <summary>A small tmpfs to fill up: a real full disk for the scripts that must clean up after one. Unmounted on dispose.</summary>
internal sealed class Tmpfs : IAsyncDisposable
{
    private Tmpfs(string folder) => Folder = folder;

    public string Folder { get; }

    public static async Task<Tmpfs> MountAsync(string folder, int megabytes)
    {
        Directory.CreateDirectory(folder);
        await RequireAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", folder);
        return new Tmpfs(folder);
    }

    public async ValueTask DisposeAsync() => await RequireAsync("umount", Folder);

    /// <summary>Mounting needs root; elsewhere (a CI runner's user) through sudo, which asks for no password there.</summary>
    private static Task RequireAsync(string program, params string[] args) =>
        TestProcess.RequireAsync(Environment.IsPrivilegedProcess ? new ProcessStartInfo(program, args) : new ProcessStartInfo("sudo", ["-n", program, .. args]));
}
