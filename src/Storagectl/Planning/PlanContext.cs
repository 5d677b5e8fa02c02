using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>
/// What every plan starts from: the configuration, what the hosts look like now, who acts and when, and the token
/// that marks the lock as this run's. Deploys add the artifact and the secrets; rollbacks add the version to go back to.
/// </summary>
public sealed record PlanContext(
    DeployConfig Config, EnvironmentConfig Environment,
    IReadOnlyDictionary<(string Tenant, string Host), HostState> States,
    string Who, DateTimeOffset Now, string LockToken, string? OnlyTenant = null)
{
    /// <summary>What the run is recorded as (lock and history) when a verb builds on the deploy plan: a restore, say.</summary>
    public string Kind { get; init; } = DeployPlan.Deploy;

    public HostState StateOf(TenantConfig tenant, HostConfig host) =>
        States.TryGetValue((tenant.Name, host.Name), out var known) ? known : HostState.Empty;

    /// <summary>The environment's rings, narrowed to one tenant when asked, each target planned by <paramref name="planTarget"/>.</summary>
    public IReadOnlyList<RingPlan> Rings(Func<TenantConfig, HostConfig, TargetPlan> planTarget)
    {
        if (OnlyTenant is { } only && !Environment.Tenants.ContainsKey(only))
            throw new ConfigException($"{Environment.Name} has no tenant '{only}' (known: {string.Join(", ", Environment.Tenants.Keys)})");
        var rings = new List<RingPlan>();
        foreach (var ring in Environment.Rings)
        {
            var targets = ring.Where(t => OnlyTenant is null || t == OnlyTenant)
                .SelectMany(t => Environment.Tenants[t].Hosts.Select(h => planTarget(Environment.Tenants[t], Config.Hosts[h])))
                .ToList();
            if (targets.Count > 0) rings.Add(new RingPlan(rings.Count + 1, targets));
        }
        return rings;
    }
}
