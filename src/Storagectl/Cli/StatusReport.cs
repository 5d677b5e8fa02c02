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
    string? ActiveSlot, IReadOnlyList<string> RunningSlots, LockStatus? Lock, DeployRecord? LastDeploy)
{
    /// <summary>The last good off-host backup, from the active slot's full /health report; null when not deployed or unreadable.</summary>
    public BackupAge? Backup { get; init; }

    /// <summary>The running artifact's sha256, from its kept manifest: the same bytes on every host show the same hash. Null when unknown.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The rollback window: the slot kept running after the last switch, and what it costs; null when there is none.</summary>
    public WarmStatus? Warm { get; init; }
}

/// <param name="Running">False when its process is gone: a rollback then starts the release afresh.</param>
/// <param name="Expired">Its window has ended but nothing stopped it yet (the timer could not take the lock); the next run does.</param>
/// <param name="RssMiB">Resident memory of the slot's process, the price of the window; null when not running.</param>
public sealed record WarmStatus(string Slot, string Version, DateTimeOffset Until, bool Running, bool Expired, double? RssMiB)
{
    public static WarmStatus? Of(HostState state, DateTimeOffset now) => state.Warm is not { } warm ? null
        : new WarmStatus(warm.Slot.Name(), warm.Version, warm.Until, state.RunningSlots.Contains(warm.Slot), warm.Until <= now,
            state.RssKib.TryGetValue(warm.Slot, out var kib) ? Math.Round(kib / 1024.0, 1) : null);

    /// <summary>The table's ROLLBACK TARGET cell: "blue 1.3.0 until 10:12 (9m), 118 MiB".</summary>
    public string Summary(DateTimeOffset now) =>
        $"{Slot} {Version} " + (!Running ? "(stopped)" : Expired ? "(window over)"
            : $"until {Until.UtcDateTime:HH:mm:ss} ({Math.Ceiling((Until - now).TotalMinutes):0}m)") + (RssMiB is { } mib ? $", {mib:0} MiB" : "");
}

/// <param name="State"><c>ok</c>, <c>overdue</c> (the service reports it degraded), <c>never</c>, <c>not-configured</c> or <c>unknown</c>.</param>
/// <param name="AgeSeconds">How old the last good backup is; null when there is none.</param>
public sealed record BackupAge(string State, double? AgeSeconds, DateTimeOffset? TakenAt, string? Snapshot)
{
    public string Summary => State switch
    {
        "never" => "never",
        "not-configured" => "not configured",
        "unknown" => "?",
        _ => Ago(AgeSeconds ?? 0) + (State == "overdue" ? " (overdue)" : ""),
    };

    private static string Ago(double seconds) =>
        seconds < 120 ? $"{seconds:0}s ago" : seconds < 7200 ? $"{seconds / 60:0}m ago" : seconds < 172800 ? $"{seconds / 3600:0}h ago" : $"{seconds / 86400:0}d ago";

    /// <summary>Reads the <c>backup</c> check of a full /health report: absent when BACKUP_URL is not set.</summary>
    public static BackupAge Parse(string body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("checks", out var checks)) return new("unknown", null, null, null);
            if (!checks.TryGetProperty("backup", out var backup)) return new("not-configured", null, null, null);
            var overdue = backup.TryGetProperty("status", out var status) && status.GetString() != "healthy";
            if (!backup.TryGetProperty("data", out var data) || data.ValueKind != System.Text.Json.JsonValueKind.Object || !data.TryGetProperty("ageSeconds", out var age))
                return new("never", null, null, null);
            DateTimeOffset? takenAt = data.TryGetProperty("takenAt", out var at) && at.TryGetDateTimeOffset(out var parsed) ? parsed : null;
            return new(overdue ? "overdue" : "ok", age.GetDouble(), takenAt, data.TryGetProperty("snapshot", out var id) ? id.GetString() : null);
        }
        catch (System.Text.Json.JsonException)
        {
            return new("unknown", null, null, null);
        }
    }
}

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
public sealed record LockStatus(bool Unreadable, string? Who, DateTimeOffset? Since, string? Version, string? Kind, string? Dead)
{
    /// <summary>The machine and process of the run holding it (null in older locks): the dashboard tells its own runs from others'.</summary>
    public string? Machine { get; init; }
    public int? Pid { get; init; }
}

public static class StatusReport
{
    /// <summary>Reads every tenant and host of the environment (or one tenant), then asks each deployed one for its health.</summary>
    public static async Task<EnvironmentStatus> GatherAsync(DeployConfig config, EnvironmentConfig environment, string? tenant, HostFleet fleet, CancellationToken cancel) =>
        await OfAsync(config, environment, await fleet.ProbeEachAsync(environment, tenant, cancel), fleet, cancel);

    /// <summary>The status of targets already read (<see cref="HostFleet.ProbeEachAsync"/>): each deployed one is asked for its health.</summary>
    public static async Task<EnvironmentStatus> OfAsync(DeployConfig config, EnvironmentConfig environment,
        IReadOnlyDictionary<(string Tenant, string Host), (HostState? State, string? Error)> probes, HostFleet fleet, CancellationToken cancel)
    {
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
                    ? new LockStatus(false, owner.Who, owner.Since, owner.Version, owner.Kind, TenantLock.DeadBecause(owner, now, config.Lock)) { Machine = owner.Machine, Pid = owner.Pid }
                    : state.LockUnreadable ? new LockStatus(true, null, null, null, null, null) : null;
                var backup = state.CurrentVersion is null ? null
                    : await BackupOf(fleet.For(config.Hosts[hostName]), environment.Tenants[tenantName], config.Hosts[hostName], state, config.Health, cancel);
                return new TargetStatus(tenantName, hostName, true, state.CurrentVersion, health, state.ActiveSlot?.Name(),
                    [.. state.RunningSlots.Select(s => s.Name())], lockStatus, state.LastChange) { Backup = backup, Sha256 = state.RunningSha256, Warm = WarmStatus.Of(state, now) };
            }));
        return new EnvironmentStatus(environment.Name, targets.All(t => t.Health.Ok), targets);
    }

    /// <summary>
    /// The full /health report answers a caller on the host that does not come through nginx: the active slot's own port
    /// (the tenant's port without a proxy), asked on the host as the health gate asks.
    /// </summary>
    private static async Task<BackupAge?> BackupOf(HostConnection connection, TenantConfig tenant, HostConfig host, HostState state, HealthSettings health, CancellationToken cancel)
    {
        if (DirectPort(tenant, host, state) is not { } port) return null;
        try
        {
            var (status, body) = await HealthProbe.GetAsync(connection, port, health.Path, health.TimeoutSeconds, cancel);
            return status == 0 ? new BackupAge("unknown", null, null, null) : BackupAge.Parse(body);
        }
        catch (IOException)
        {
            return new BackupAge("unknown", null, null, null);
        }
    }

    /// <summary>The port the active release answers on without nginx in front (so /metrics and the full /health answer); null when none runs.</summary>
    public static int? DirectPort(TenantConfig tenant, HostConfig host, HostState state) =>
        host.Strategy == DeployStrategy.Restart ? tenant.Port
        : state.ActiveSlot is { } active ? tenant.SlotPorts[active == Slot.Blue ? 0 : 1] : null;

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
