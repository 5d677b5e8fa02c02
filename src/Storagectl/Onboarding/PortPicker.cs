using Storagectl.Configuration;

namespace Storagectl.Onboarding;

/// <summary>The ports a new tenant gets on a host: its public port and, behind nginx, the two slot ports.</summary>
public sealed record PortChoice(int Port, IReadOnlyList<int> SlotPorts);

/// <summary>
/// Picks ports no tenant of the configuration uses on the host (whatever its environment) and nothing listens on
/// there: by default the next hundred above the highest tenant port on the host (the file's own pattern: 8200 with
/// slots 8201 and 8202, then 8300…), with the slots right after the port.
/// </summary>
public static class PortPicker
{
    private const int Step = 100;
    private const int FirstWhenNone = 8100;

    /// <param name="port">The port asked for (--port); its slots are the next two free ports above it.</param>
    /// <param name="listening">Ports something listens on at the host now (`ss -ltn`).</param>
    public static PortChoice Pick(DeployConfig config, HostConfig host, int? port, IReadOnlySet<int> listening)
    {
        var used = UsedOn(config, host.Name);
        bool Free(int p) => p is > 0 and <= 65535 && !used.ContainsKey(p) && !listening.Contains(p);
        var slotCount = host.Proxy == ProxyKind.Nginx ? 2 : 0;

        if (port is { } asked)
        {
            if (used.TryGetValue(asked, out var owner)) throw new ConfigException($"port {asked} is taken on host {host.Name}: {owner} uses it");
            if (listening.Contains(asked)) throw new ConfigException($"port {asked} is taken on host {host.Name}: something listens on it there");
            var slots = Enumerable.Range(asked + 1, Math.Max(0, 65535 - asked)).Where(Free).Take(slotCount).ToList();
            if (slots.Count < slotCount) throw new ConfigException($"no two free ports above {asked} on host {host.Name} for the slots");
            return new PortChoice(asked, slots);
        }

        var tenantPorts = config.Environments.Values.SelectMany(e => e.Tenants.Values).Where(t => t.Hosts.Contains(host.Name)).Select(t => t.Port).ToList();
        if (tenantPorts.Count == 0) tenantPorts = [.. config.Environments.Values.SelectMany(e => e.Tenants.Values).Select(t => t.Port)];
        var start = tenantPorts.Count == 0 ? FirstWhenNone : (tenantPorts.Max() / Step + 1) * Step;
        for (var candidate = start; candidate + slotCount <= 65535; candidate += Step)
            if (Enumerable.Range(candidate, slotCount + 1).All(Free))
                return new PortChoice(candidate, [.. Enumerable.Range(candidate + 1, slotCount)]);
        throw new ConfigException($"no free ports above {start} on host {host.Name}; choose one with --port");
    }

    /// <summary>Every port the configuration gives a tenant on the host, with who uses it ("production/acme").</summary>
    public static IReadOnlyDictionary<int, string> UsedOn(DeployConfig config, string host)
    {
        var used = new Dictionary<int, string>();
        foreach (var environment in config.Environments.Values)
        foreach (var tenant in environment.Tenants.Values.Where(t => t.Hosts.Contains(host)))
        foreach (var port in tenant.SlotPorts.Prepend(tenant.Port))
            used.TryAdd(port, $"{environment.Name}/{tenant.Name}");
        return used;
    }

    /// <summary>The ports in `ss -ltnH` output (local address is the fourth column: 0.0.0.0:8200, [::]:8200, *:8200).</summary>
    public static IReadOnlySet<int> Listening(string ssOutput) =>
        ssOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns.Length >= 4)
            .Select(columns => columns[3][(columns[3].LastIndexOf(':') + 1)..])
            .Select(text => int.TryParse(text, out var p) ? p : -1)
            .Where(p => p > 0)
            .ToHashSet();
}
