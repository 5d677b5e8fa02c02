using Storagectl.Configuration;
using Storagectl.Processes;

namespace Storagectl.Hosts;

/// <summary>The network address another host's nginx reaches a host at: what ssh connects to (its HostName), or loopback for a local host.</summary>
public static class HostAddress
{
    public static async Task<string> ResolveAsync(HostConfig host, string? sshConfigFile, CancellationToken cancel)
    {
        if (host.Transport == HostTransport.Local) return "127.0.0.1";
        var args = new List<string>();
        if (sshConfigFile is not null) args.AddRange(["-F", sshConfigFile]);
        args.AddRange(["-G", host.SshTarget]);
        var result = await ProcessRunner.RunAsync("ssh", args, Directory.GetCurrentDirectory(), cancel);
        return result.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("hostname "))?["hostname ".Length..] ?? host.Address;
    }
}
