using Microsoft.Extensions.Hosting;
using Storagectl.Cli;
using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Dashboard;

/// <summary>One environment as last read: the same status `storagectl status` prints, the hosts' states (history, kept releases), when, and what failed.</summary>
public sealed record FleetSnapshot(EnvironmentStatus Status, IReadOnlyDictionary<(string Tenant, string Host), HostState> States, DateTimeOffset ReadAt);

/// <summary>
/// Reads the dashboard's environments from their hosts every few seconds, as `status` and `history` do, and each
/// instance's /metrics on its host: pages show the last reading instead of asking every host per request. One ssh
/// connection per host stays open while the dashboard runs.
/// </summary>
public sealed class FleetWatcher(DashboardSettings settings) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);
    private readonly HostFleet _fleet = new(settings.Config);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<string, FleetSnapshot> _snapshots = [];
    private readonly Dictionary<string, string> _errors = [];
    private readonly Dictionary<string, RequestRates> _rates = settings.Environments.ToDictionary(e => e.Name, _ => new RequestRates());

    public FleetSnapshot? Snapshot(string environment)
    {
        lock (_snapshots) return _snapshots.GetValueOrDefault(environment);
    }

    /// <summary>Why the last reading of the environment failed, when it did (the last good one is still shown).</summary>
    public string? Error(string environment)
    {
        lock (_snapshots) return _errors.GetValueOrDefault(environment);
    }

    public RequestRates Rates(string environment) => _rates[environment];

    /// <summary>Reads again now instead of at the next tick: after an action ends, the page shows its result at once.</summary>
    public void RefreshNow()
    {
        lock (_wake) if (_wake.CurrentCount == 0) _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.WhenAll(settings.Environments.Select(e => ReadAsync(e, stoppingToken)));
            try { await _wake.WaitAsync(Interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task ReadAsync(EnvironmentConfig environment, CancellationToken cancel)
    {
        try
        {
            var probes = await _fleet.ProbeEachAsync(environment, null, cancel);
            var status = await StatusReport.OfAsync(settings.Config, environment, probes, _fleet, cancel);
            var states = probes.Where(p => p.Value.State is not null).ToDictionary(p => p.Key, p => p.Value.State!);
            var now = DateTimeOffset.UtcNow;
            _rates[environment.Name].Add(now, await RequestCountsAsync(environment, states, cancel));
            lock (_snapshots)
            {
                _snapshots[environment.Name] = new FleetSnapshot(status, states, now);
                _errors.Remove(environment.Name);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_snapshots) _errors[environment.Name] = $"{DateTimeOffset.UtcNow:HH:mm:ss} could not read {environment.Name}: {e.Message}";
        }
    }

    /// <summary>Each running instance's counters from its own port on its host (nginx does not pass /metrics on).</summary>
    private async Task<Dictionary<(string Tenant, string Host), RequestCounts>> RequestCountsAsync(EnvironmentConfig environment,
        IReadOnlyDictionary<(string Tenant, string Host), HostState> states, CancellationToken cancel)
    {
        var readings = await Task.WhenAll(states.Where(s => s.Value.CurrentVersion is not null).Select(async s =>
        {
            var host = settings.Config.Hosts[s.Key.Host];
            if (StatusReport.DirectPort(environment.Tenants[s.Key.Tenant], host, s.Value) is not { } port) return (s.Key, null);
            try
            {
                return (s.Key, Counts: await RequestCounts.ReadAsync(_fleet.For(host), port, settings.Config.Health.TimeoutSeconds, cancel));
            }
            catch (IOException) { return (s.Key, null); }
        }));
        return readings.Where(r => r.Counts is not null).ToDictionary(r => r.Key, r => r.Counts!);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _fleet.DisposeAsync();
    }
}
