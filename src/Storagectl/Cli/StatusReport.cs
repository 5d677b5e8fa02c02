using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Cli;

/// <summary>What `storagectl status` reports, as data: the table and --json are two renderings of the same records.</summary>
public sealed record EnvironmentStatus(string Environment, bool Healthy, IReadOnlyList<TargetStatus> Targets);

/// <param name="Version">The release `current` points at; null when none is deployed or the host could not be read.</param>
/// <param name="Health">How the tenant's public port answers (or why the host could not be asked).</param>
public sealed record TargetStatus(
    string Tenant, string Host, bool Reachable, string? Version, HealthStatus Health,
    string? ActiveSlot, IReadOnlyList<string> RunningSlots, LockStatus? Lock, DeployRecord? LastDeploy);

/// <param name="State">One of <see cref="HealthStates"/>: stable words for scripts.</param>
/// <param name="Summary">A few words for the table cell.</param>
/// <param name="Detail">The full message (ssh's or curl's) when there is more to say than the summary; one line.</param>
public sealed record HealthStatus(string State, string Summary, string? Detail)
{
    public bool Ok => State is HealthStates.Ready or HealthStates.NotDeployed;
}

public static class HealthStates
{
    public const string Ready = "ready";
    public const string NotDeployed = "not-deployed";
    public const string WrongVersion = "wrong-version";
    public const string NotReady = "not-ready";
    public const string Down = "down";
    public const string Unreachable = "unreachable";
}

/// <summary>The tenant's deploy lock; never its token, which would let a reader release it.</summary>
public sealed record LockStatus(bool Unreadable, string? Who, DateTimeOffset? Since, string? Version, string? Kind, string? Dead);

public static class StatusReport
{
    /// <summary>Reads every tenant and host of the environment (or one tenant), then asks each deployed one for its health.</summary>
    public static async Task<EnvironmentStatus> GatherAsync(DeployConfig config, EnvironmentConfig environment, string? tenant, HostFleet fleet, CancellationToken cancel)
    {
        var probes = await fleet.ProbeEachAsync(environment, tenant, cancel);
        var now = DateTimeOffset.UtcNow;
        var targets = await Task.WhenAll(probes.OrderBy(p => RingOrder(environment, p.Key.Tenant)).ThenBy(p => p.Key.Host, StringComparer.Ordinal)
            .Select(async probe =>
            {
                var ((tenantName, hostName), (state, error)) = probe;
                if (state is null)
                    return new TargetStatus(tenantName, hostName, false, null,
                        new HealthStatus(HealthStates.Unreachable, Unreachable.Summarize(error!), Unreachable.OneLine(error!)), null, [], null, null);
                var health = state.CurrentVersion is null ? new HealthStatus(HealthStates.NotDeployed, "not deployed", null)
                    : await HealthOf(fleet.For(config.Hosts[hostName]), environment.Tenants[tenantName].Port, config.Health, state.CurrentVersion, cancel);
                var owner = state.Lock;
                var lockStatus = owner is not null
                    ? new LockStatus(false, owner.Who, owner.Since, owner.Version, owner.Kind, TenantLock.DeadBecause(owner, now, config.Lock))
                    : state.LockUnreadable ? new LockStatus(true, null, null, null, null, null) : null;
                return new TargetStatus(tenantName, hostName, true, state.CurrentVersion, health, state.ActiveSlot?.Name(),
                    [.. state.RunningSlots.Select(s => s.Name())], lockStatus, state.History.Count == 0 ? null : state.History[^1]);
            }));
        return new EnvironmentStatus(environment.Name, targets.All(t => t.Health.Ok), targets);
    }

    private static int RingOrder(EnvironmentConfig environment, string tenant) =>
        environment.Rings.Select((ring, index) => (ring, index)).FirstOrDefault(r => r.ring.Contains(tenant)).index;

    /// <summary>The tenant's public port answers /health: ready, or why not in a few words (and in full as the detail).</summary>
    private static async Task<HealthStatus> HealthOf(HostConnection connection, int port, HealthSettings health, string expectedVersion, CancellationToken cancel)
    {
        try
        {
            var (status, body) = await HealthProbe.GetAsync(connection, port, health.Path, health.TimeoutSeconds, cancel);
            var version = HealthProbe.VersionOf(body);
            return status switch
            {
                0 => new HealthStatus(HealthStates.Down, $"down: no answer on port {port}", Unreachable.OneLine(body)),
                200 when version == expectedVersion => new HealthStatus(HealthStates.Ready, "ready", null),
                200 => new HealthStatus(HealthStates.WrongVersion, $"ready, but serves {version ?? "an unknown version"}", null),
                _ => new HealthStatus(HealthStates.NotReady, $"not ready (HTTP {status})", null),
            };
        }
        catch (IOException e)
        {
            return new HealthStatus(HealthStates.Unreachable, Unreachable.Summarize(e.Message), Unreachable.OneLine(e.Message));
        }
    }
}
