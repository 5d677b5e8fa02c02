using System.Diagnostics;
using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.Hosts;

/// <summary>
/// The OpenSSH client, so users' ~/.ssh/config, agents, known_hosts and jump hosts all work. One master connection
/// per host is shared by every step (ControlMaster), so a deploy of twenty steps opens one TCP connection, not twenty.
/// </summary>
public sealed class SshConnection(HostConfig host, string? sshConfigFile) : HostConnection
{
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
            "-o", $"ControlPath={ControlDirectory}/%C",
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
        // ssh hands the remote shell one string; quoting it makes the script arrive byte for byte.
        start.ArgumentList.Add("bash -c " + Shell.Quote(script));
        return start;
    }

    public override async ValueTask DisposeAsync()
    {
        var stop = new ProcessStartInfo("ssh") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var option in Options()) stop.ArgumentList.Add(option);
        foreach (var argument in new[] { "-O", "exit", host.SshTarget }) stop.ArgumentList.Add(argument);
        using var process = Process.Start(stop);
        if (process is not null) await process.WaitForExitAsync();
    }

    private static string CreateControlDirectory()
    {
        // Short, private and per user: socket paths are limited to about 100 characters.
        var directory = Path.Combine(Path.GetTempPath(), $"storagectl-ssh-{Environment.UserName}");
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }
}
