using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>
/// The ports a tenant gets on a host it moves to: its own where they are free there, else the next free port above each.
/// Free means no tenant of any environment on that host is given it, and nothing listens on it there now.
/// </summary>
public static class PortChoice
{
    public static (int Port, IReadOnlyList<int> SlotPorts) On(HostConfig host, TenantConfig tenant, DeployConfig config, IReadOnlySet<int> listening)
    {
        var taken = config.Environments.Values.SelectMany(e => e.Tenants.Values)
            .Where(t => t.Hosts.Contains(host.Name))
            .SelectMany(t => t.SlotPorts.Prepend(t.Port))
            .Concat(listening)
            .ToHashSet();
        int Pick(int wanted)
        {
            var port = wanted;
            while (taken.Contains(port)) port = port >= 65535 ? 1024 : port + 1;
            taken.Add(port);
            return port;
        }
        var main = Pick(tenant.Port);
        return (main, [.. tenant.SlotPorts.Select(Pick)]);
    }

    /// <summary>The ports of /proc/net/tcp lines in listening state, as <see cref="HostCommands.MoveCommands.ListeningPorts"/> prints them (hex).</summary>
    public static IReadOnlySet<int> ParseListening(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => int.TryParse(line, System.Globalization.NumberStyles.HexNumber, null, out var port) ? port : -1)
            .Where(port => port > 0)
            .ToHashSet();
}
