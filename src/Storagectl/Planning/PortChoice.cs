using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>The ports a tenant gets on a host: its public port and, behind nginx, the two slot ports.</summary>
public sealed record TenantPorts(int Port, IReadOnlyList<int> SlotPorts);

/// <summary>
/// The one place ports are chosen. Free on a host means no tenant of any environment is given it there and nothing
/// listens on it now (<see cref="HostCommands.PortCommands.Listening"/>). A new tenant gets the next hundred above the
/// host's tenants (the file's own pattern: 8200 with slots 8201 and 8202, then 8300…); a tenant that moves keeps its
/// own ports where they are free on the new host, else the next free port above each.
/// </summary>
public static class PortChoice
{
    private const int Step = 100;
    private const int FirstWhenNone = 8100;

    /// <param name="port">The port asked for (--port); its slots are the next two free ports above it.</param>
    public static TenantPorts ForNewTenant(DeployConfig config, HostConfig host, int? port, IReadOnlySet<int> listening)
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
            return new TenantPorts(asked, slots);
        }

        var tenantPorts = config.Environments.Values.SelectMany(e => e.Tenants.Values).Where(t => t.Hosts.Contains(host.Name)).Select(t => t.Port).ToList();
        if (tenantPorts.Count == 0) tenantPorts = [.. config.Environments.Values.SelectMany(e => e.Tenants.Values).Select(t => t.Port)];
        var start = tenantPorts.Count == 0 ? FirstWhenNone : (tenantPorts.Max() / Step + 1) * Step;
        for (var candidate = start; candidate + slotCount <= 65535; candidate += Step)
            if (Enumerable.Range(candidate, slotCount + 1).All(Free))
                return new TenantPorts(candidate, [.. Enumerable.Range(candidate + 1, slotCount)]);
        throw new ConfigException($"no free ports above {start} on host {host.Name}; choose one with --port");
    }

    /// <summary>A tenant's ports on a host it moves or is restored to: its own where free there, else the next free port above each.</summary>
    public static TenantPorts On(HostConfig host, TenantConfig tenant, DeployConfig config, IReadOnlySet<int> listening)
    {
        var taken = config.Environments.Values.SelectMany(e => e.Tenants.Values)
            .Where(t => t.Hosts.Contains(host.Name) && t.Name != tenant.Name)
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
        return new TenantPorts(main, [.. tenant.SlotPorts.Select(Pick)]);
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

    /// <summary>The ports <see cref="HostCommands.PortCommands.Listening"/> prints (hex, one a line).</summary>
    public static IReadOnlySet<int> ParseListening(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => int.TryParse(line, System.Globalization.NumberStyles.HexNumber, null, out var port) ? port : -1)
            .Where(port => port > 0)
            .ToHashSet();
}
