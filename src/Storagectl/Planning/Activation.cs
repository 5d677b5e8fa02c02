using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>The steps a deploy and a rollback share to put a release in front of traffic with its health gate.</summary>
public static class Activation
{
    /// <summary>Steps that run a release already unpacked on the host, split into the three phases of a <see cref="TargetPlan"/>.</summary>
    public sealed record Phases(IReadOnlyList<Step> Prepare, IReadOnlyList<Step> Switch, IReadOnlyList<Step> Finish);

    /// <summary>
    /// Blue/green: start <paramref name="version"/> on the idle slot beside the old one, gate it, switch nginx, drain the old slot.
    /// Restart: stop, (migrate), start on the same port, gate. <paramref name="migrate"/> runs where the strategy allows it.
    /// </summary>
    public static Phases Activate(DeployConfig config, TenantConfig tenant, HostConfig host, TenantPaths paths, HostState state, string version, Step? migrate)
    {
        var executable = config.Service.Executable;
        var idle = IdleSlot(host, state);
        var ports = new SlotPorts(tenant, host);
        var startIdle = new RunStep($"start {version} in the {idle.Name()} slot on port {ports.Of(idle)}", Lines(
                $"printf 'URLS=%s\\n' {Shell.Quote(SlotUrls(host, paths, idle, ports.Of(idle)))} > {Shell.Quote(paths.SlotEnv(idle))}",
                LinkSlot(paths, idle, version),
                ServiceCommands.Stop(host, paths, idle),
                ServiceCommands.Start(host, paths, idle, executable)))
            { Undo = ServiceCommands.Stop(host, paths, idle) };
        var gate = new HealthGateStep($"wait until {version} is ready on port {ports.Of(idle)}", ports.Of(idle), config.Health.Path, version);
        var pointCurrent = new RunStep($"point current at releases/{version}", PointCurrentScript(paths, version))
            { Undo = state.CurrentVersion is null ? $"rm -f {Shell.Quote(paths.Current)}" : PointCurrentScript(paths, state.CurrentVersion) };

        var prepare = new List<Step>();
        var switching = new List<Step>();
        if (host.Strategy == DeployStrategy.BlueGreen)
        {
            // Blue/green migrates while the old version serves: migrations must be backward compatible.
            if (migrate is not null) prepare.Add(migrate);
            prepare.Add(startIdle);
            prepare.Add(gate);
            var active = idle.Other();
            switching.Add(new RunStep($"switch nginx to the {idle.Name()} slot", ProxyCommands.PointTo(paths, idle))
                { Undo = state.ActiveSlot is null ? null : ProxyCommands.PointTo(paths, active) });
            switching.Add(pointCurrent);
            if (state.ActiveSlot is not null)
                switching.Add(new RunStep($"drain and stop the {active.Name()} slot", $"sleep {config.Health.DrainSeconds}\n" + ServiceCommands.Stop(host, paths, active))
                    { Undo = Lines(ServiceCommands.Start(host, paths, active, executable), WaitReadyScript(ports.Of(active), config.Health)) });
        }
        else
        {
            switching.Add(new RunStep("stop the running version", ServiceCommands.Stop(host, paths, Slot.Blue))
                { Undo = state.CurrentVersion is null ? null : Lines(ServiceCommands.Start(host, paths, Slot.Blue, executable), WaitReadyScript(ports.Of(Slot.Blue), config.Health)) });
            if (migrate is not null) switching.Add(migrate);
            // Undoing the start stops the new version and links the slot back to the old release, which the stop's undo starts.
            switching.Add(startIdle with
            {
                Undo = state.CurrentVersion is null ? startIdle.Undo : Lines(ServiceCommands.Stop(host, paths, Slot.Blue), LinkSlot(paths, Slot.Blue, state.CurrentVersion)),
            });
            switching.Add(gate);
            switching.Add(pointCurrent);
        }

        var finish = new List<Step>();
        if (config.Health.BakeSeconds > 0)
            finish.Add(new BakeStep($"watch {version} for {config.Health.BakeSeconds}s", tenant.Port, config.Health.Path, version,
                config.Health.BakeSeconds, config.Health.MaxErrorRate, ports.Of(idle)));
        return new Phases(prepare, switching, finish);
    }

    /// <summary>
    /// Refuses early, before the lock or any upload, when the host's nginx site predates the socket switch: switching
    /// a symlink nginx does not use would stop the old slot under live traffic. Nothing to check without nginx.
    /// </summary>
    public static IReadOnlyList<Step> ProxyChecks(PlanContext context, TenantConfig tenant, HostConfig host, TenantPaths paths) =>
        host.Strategy == DeployStrategy.BlueGreen
            ? [new RunStep("check that the nginx site proxies to the active socket", ProxyCommands.RequireSocketSite(host, tenant, paths, context.Environment.Name)) { RefusesRun = true }]
            : [];

    /// <summary>Scripts run one after another, stopping at the first failure.</summary>
    private static string Lines(params string[] scripts) => "set -e\n" + string.Join('\n', scripts);

    /// <summary>The slot's TCP port (health gate, bake, status) and, behind nginx, the socket nginx reaches it through.</summary>
    private static string SlotUrls(HostConfig host, TenantPaths paths, Slot slot, int port) =>
        host.Strategy == DeployStrategy.BlueGreen ? $"http://127.0.0.1:{port};http://unix:{paths.SlotSocket(slot)}" : $"http://127.0.0.1:{port}";

    private static Slot IdleSlot(HostConfig host, HostState state) =>
        host.Strategy == DeployStrategy.BlueGreen ? (state.ActiveSlot ?? Slot.Green).Other() : Slot.Blue;

    /// <summary>The two ports a tenant's slots listen on: behind nginx one each; without a proxy the tenant's own port.</summary>
    private sealed record SlotPorts(TenantConfig Tenant, HostConfig Host)
    {
        public int Of(Slot slot) => Host.Strategy == DeployStrategy.Restart ? Tenant.Port : Tenant.SlotPorts[slot == Slot.Blue ? 0 : 1];
    }

    private static string LinkSlot(TenantPaths paths, Slot slot, string version) => Shell.All(
        $"ln -sfn ../releases/{Shell.Quote(version)} {Shell.Quote(paths.SlotRelease(slot))}.next",
        $"mv -T {Shell.Quote(paths.SlotRelease(slot))}.next {Shell.Quote(paths.SlotRelease(slot))}");

    private static string PointCurrentScript(TenantPaths paths, string version) => Shell.All(
        $"ln -sfn releases/{Shell.Quote(version)} {Shell.Quote(paths.Current)}.next",
        $"mv -T {Shell.Quote(paths.Current)}.next {Shell.Quote(paths.Current)}");

    /// <summary>Used by undo steps that start the old version again: they are not done until it answers.</summary>
    private static string WaitReadyScript(int port, HealthSettings health) =>
        $"i=0; until curl -fsS -m {health.TimeoutSeconds} -o /dev/null http://127.0.0.1:{port}{health.Path}; do " +
        $"i=$((i + 1)); [ $i -ge {health.Retries} ] && exit 1; sleep {health.IntervalSeconds}; done";
}
