using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Planning;

namespace Storagectl.Hosts;

/// <summary>One connection per host for the length of a command (or of the dashboard), shared by all tenants on that host.</summary>
public sealed class HostFleet(DeployConfig config) : IAsyncDisposable
{
    private readonly Dictionary<string, HostConnection> _connections = [];
    private readonly Lazy<string> _controlFolder = new(SshConnection.NewControlFolder);

    public HostConnection For(HostConfig host)
    {
        lock (_connections)
        {
            if (!_connections.TryGetValue(host.Name, out var connection))
                _connections[host.Name] = connection = host.Transport == HostTransport.Local
                    ? new LocalConnection(host.Name)
                    : new SshConnection(host, config.SshConfigFile, _controlFolder.Value);
            return connection;
        }
    }

    /// <summary>Reads every (tenant, host) of the environment; a host that cannot be reached is an error naming it.</summary>
    public async Task<Dictionary<(string Tenant, string Host), HostState>> ProbeAsync(EnvironmentConfig environment, string? onlyTenant, CancellationToken cancellationToken,
        int historyLines = HostState.RecentHistory, string? onlyHost = null)
    {
        var probes = await ProbeEachAsync(environment, onlyTenant, cancellationToken, historyLines, onlyHost);
        if (probes.Values.FirstOrDefault(p => p.Error is not null).Error is { } error) throw new HostUnreachableException(error);
        return probes.ToDictionary(p => p.Key, p => p.Value.State!);
    }

    /// <summary>Reads every (tenant, host) of the environment, each with its state or why it could not be read.</summary>
    public async Task<Dictionary<(string Tenant, string Host), (HostState? State, string? Error)>> ProbeEachAsync(
        EnvironmentConfig environment, string? onlyTenant, CancellationToken cancellationToken, int historyLines = HostState.RecentHistory, string? onlyHost = null)
    {
        var targets = environment.Tenants.Values.Where(t => onlyTenant is null || t.Name == onlyTenant)
            .SelectMany(t => t.Hosts.Where(h => onlyHost is null || h == onlyHost).Select(h => (Tenant: t, Host: config.Hosts[h]))).ToList();
        var states = await Task.WhenAll(targets.Select(async target =>
        {
            var result = await For(target.Host).RunAsync(ProbeCommands.TenantFolder(target.Host, new TenantPaths(target.Host.Root, target.Tenant.Name), historyLines), (string?)null, cancellationToken);
            (HostState?, string?) probe = result.Succeeded
                ? (HostState.Parse(result.Output), null)
                : (null, $"{target.Host.Name}: cannot read {target.Host.Root}/{target.Tenant.Name}: {result.Reason}");
            return ((target.Tenant.Name, target.Host.Name), probe);
        }));
        return states.ToDictionary(s => s.Item1, s => s.probe);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values) await connection.DisposeAsync();
    }
}

public sealed class HostUnreachableException(string message) : Exception(message);
