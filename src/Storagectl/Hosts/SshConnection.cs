using System.Diagnostics;
using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Processes;

namespace Storagectl.Hosts;

/// <summary>
/// The OpenSSH client, so users' ~/.ssh/config, agents, known_hosts and jump hosts all work. One master connection
/// per host is shared by every step (ControlMaster), so a deploy of twenty steps opens one TCP connection, not twenty.
/// The master belongs to this storagectl process alone (its own control folder), and within it to one
/// <see cref="HostFleet"/> (a subfolder of its own): closing it at the end can never cut the connection of another run,
/// such as a `status` started during a deploy, nor the dashboard's long-lived one when a rollback started in the page ends.
/// </summary>
public sealed class SshConnection(HostConfig host, string? sshConfigFile, string controlFolder) : HostConnection
{
    // Declared first: static fields are set in order, and the folder's name needs the prefix.
    // No user name in it: a long one would push the socket path past its ~104-byte limit, and ssh then quietly stops sharing.
    private static readonly string Prefix = "storagectl-ssh-";
    private static readonly string ControlDirectory = CreateControlDirectory();

    public override string Name => host.Name;

    /// <summary>Arguments that come before the command: connection sharing, no password prompts, fail fast on a dead link.</summary>
    public IReadOnlyList<string> Options()
    {
        var options = new List<string>();
        if (sshConfigFile is not null) options.AddRange(["-F", sshConfigFile]);
        if (host.Port != 22) options.AddRange(["-p", host.Port.ToString()]);
        options.AddRange([
            "-o", "BatchMode=yes",
            "-o", "ControlMaster=auto",
            "-o", $"ControlPath={controlFolder}/%C",
            "-o", "ControlPersist=60",
            "-o", "ConnectTimeout=10",
            "-o", "ServerAliveInterval=5",
            "-o", "ServerAliveCountMax=3",
        ]);
        return options;
    }

    protected override ProcessStartInfo StartInfo(string script)
    {
        var start = new ProcessStartInfo("ssh");
        foreach (var option in Options()) start.ArgumentList.Add(option);
        start.ArgumentList.Add(host.SshTarget);
        start.ArgumentList.Add(Shell.InBash(script));
        return start;
    }

    public override async ValueTask DisposeAsync()
    {
        var stop = new ProcessStartInfo("ssh");
        foreach (var option in Options()) stop.ArgumentList.Add(option);
        foreach (var argument in new[] { "-O", "exit", host.SshTarget }) stop.ArgumentList.Add(argument);
        await ProcessRunner.RunAsync(stop, null, CancellationToken.None);
    }

    private static int _fleets;

    /// <summary>A control folder for one fleet's masters, inside this process's own.</summary>
    public static string NewControlFolder()
    {
        var folder = Path.Combine(ControlDirectory, Interlocked.Increment(ref _fleets).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string CreateControlDirectory()
    {
        // Short, private and per process: socket paths are limited to about 100 characters.
        var parent = Path.GetTempPath();
        RemoveLeftovers(parent);
        var directory = Path.Combine(parent, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory);
        return directory;
    }

    /// <summary>Control folders of runs that were killed: their process is gone, so nothing uses them.</summary>
    private static void RemoveLeftovers(string parent)
    {
        foreach (var folder in Directory.EnumerateDirectories(parent, Prefix + "*"))
        {
            var pid = Path.GetFileName(folder)[Prefix.Length..].Split('-')[0];
            // Another user's folders cannot be deleted (0700, not ours); that is fine.
            if (int.TryParse(pid, out var id) && !Directory.Exists($"/proc/{id}") && OperatingSystem.IsLinux()) TryDelete(folder);
        }
    }

    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
