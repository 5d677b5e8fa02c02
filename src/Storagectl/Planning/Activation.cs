using Storagectl.Configuration;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>The steps a deploy and a rollback share to put a release in front of traffic with its health gate.</summary>
public static class Activation
{
    /// <summary>Steps that run a release already unpacked on the host, split into the three phases of a <see cref="TargetPlan"/>.</summary>
    public sealed record Phases(IReadOnlyList<Step> Prepare, IReadOnlyList<Step> Switch, IReadOnlyList<Step> Finish);

    /// <summary>
    /// Blue/green: start <paramref name="version"/> on the idle slot beside the old one, gate it, switch nginx, and keep the
    /// old slot warm for the rollback window (or drain and stop it without one).
    /// Restart: stop, (migrate), start on the same port, gate. <paramref name="migrate"/> runs where the strategy allows it.
    /// <paramref name="probe"/> (the isolation probe) runs first once every target of the ring has switched, before the bake.
    /// </summary>
    public static Phases Activate(PlanContext context, TenantConfig tenant, HostConfig host, TenantPaths paths, HostState state, string version, Step? migrate,
        Step? probe = null)
    {
        var config = context.Config;
        var executable = config.Service.Executable;
        var idle = IdleSlot(host, state);
        var ports = new SlotPorts(tenant, host);
        var polling = HealthPolling.Of(config.Health);
        var startIdle = new RunStep($"start {version} in the {idle.Name()} slot on port {ports.Of(idle)}", Shell.Lines(
                ServiceCommands.WriteSlotEnv(paths, idle, SlotUrls(host, paths, idle, ports.Of(idle))),
                WarmSlotCommands.Forget(paths), // the idle slot is the one a rollback window kept: it ends here
                ReleaseFolderCommands.LinkSlot(paths, idle, version),
                ServiceCommands.Stop(host, paths, idle),
                ServiceCommands.Start(host, paths, idle, executable)))
            { Undo = ServiceCommands.Stop(host, paths, idle) };
        var gate = new HealthGateStep($"wait until {version} is ready on port {ports.Of(idle)}", ports.Of(idle), config.Health.Path, version, polling);
        var pointCurrent = new RunStep($"point current at releases/{version}", ReleaseFolderCommands.PointCurrent(paths, version))
            { Undo = state.CurrentVersion is null ? ReleaseFolderCommands.RemoveCurrent(paths) : ReleaseFolderCommands.PointCurrent(paths, state.CurrentVersion) };
        string StartAndWait(Slot slot) => Shell.Lines(ServiceCommands.Start(host, paths, slot, executable), HealthCommands.WaitReady(ports.Of(slot), config.Health.Path, polling));

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
                switching.Add(LeaveSlot(context, host, paths, active, state.CurrentVersion, StartAndWait(active)));
        }
        else
        {
            switching.Add(new RunStep("stop the running version", ServiceCommands.Stop(host, paths, Slot.Blue))
                { Undo = state.CurrentVersion is null ? null : StartAndWait(Slot.Blue) });
            if (migrate is not null) switching.Add(migrate);
            // Undoing the start stops the new version and links the slot back to the old release, which the stop's undo starts.
            switching.Add(startIdle with
            {
                Undo = state.CurrentVersion is null ? startIdle.Undo : Shell.Lines(ServiceCommands.Stop(host, paths, Slot.Blue), ReleaseFolderCommands.LinkSlot(paths, Slot.Blue, state.CurrentVersion)),
            });
            switching.Add(gate);
            switching.Add(pointCurrent);
        }

        return new Phases(prepare, switching, Watch(config, tenant, version, ports.Of(idle), probe));
    }

    /// <summary>
    /// A rollback inside the window: <paramref name="warm"/> still runs <paramref name="version"/>, so after checking that it
    /// answers with it, traffic switches back to it; the slot left becomes the warm one in its turn. Then probe and bake.
    /// </summary>
    public static Phases SwitchToWarm(PlanContext context, TenantConfig tenant, HostConfig host, TenantPaths paths, HostState state, string version, WarmSlot warm,
        Step? probe)
    {
        var config = context.Config;
        var ports = new SlotPorts(tenant, host);
        var active = warm.Slot.Other();
        var check = new RunStep($"check that {version} still answers in the warm {warm.Slot.Name()} slot on port {ports.Of(warm.Slot)}",
            WarmSlotCommands.Check(paths, ports.Of(warm.Slot), config.Health.Path, version, warm.Slot));
        // One step, one round trip to the host: the link, current and the slot left change together, and are put back together.
        var left = state.RunningSlots.Contains(active) ? LeaveSlot(context, host, paths, active, state.CurrentVersion, Undo: null) : null;
        var switching = new List<Step>
        {
            new RunStep($"switch nginx to the {warm.Slot.Name()} slot and point current at releases/{version}", Shell.Lines(
                WarmSlotCommands.Forget(paths), ProxyCommands.PointTo(paths, warm.Slot), ReleaseFolderCommands.PointCurrent(paths, version)))
            {
                Undo = Shell.Lines(ProxyCommands.PointTo(paths, active),
                    state.CurrentVersion is null ? ReleaseFolderCommands.RemoveCurrent(paths) : ReleaseFolderCommands.PointCurrent(paths, state.CurrentVersion)),
            },
        };
        if (left is not null) switching.Add(left);
        return new Phases([check], switching, Watch(config, tenant, version, ports.Of(warm.Slot), probe));
    }

    /// <summary>
    /// What happens to the slot traffic just left: kept running for the rollback window, with its record and timer, or
    /// without a window drained (until nothing is in flight, at most drain_seconds) and stopped.
    /// </summary>
    private static RunStep LeaveSlot(PlanContext context, HostConfig host, TenantPaths paths, Slot left, string? leftVersion, string? Undo)
    {
        var window = context.Config.RollbackWindowSeconds;
        return window > 0 && leftVersion is not null
            ? new RunStep($"keep the {left.Name()} slot ({leftVersion}) running for rollbacks for {window}s",
                WarmSlotCommands.Keep(host, context.Environment.Name, paths, left, leftVersion, window)) { Undo = WarmSlotCommands.Forget(paths) }
            : new RunStep($"drain and stop the {left.Name()} slot", ServiceCommands.DrainAndStop(host, paths, left, context.Config.Health.DrainSeconds)) { Undo = Undo };
    }

    private static List<Step> Watch(DeployConfig config, TenantConfig tenant, string version, int slotPort, Step? probe)
    {
        var finish = new List<Step>();
        if (probe is not null) finish.Add(probe);
        if (config.Health.BakeSeconds > 0)
            finish.Add(new BakeStep($"watch {version} for {config.Health.BakeSeconds}s", tenant.Port, config.Health.Path, version,
                config.Health.BakeSeconds, config.Health.MaxErrorRate, slotPort, HealthPolling.Of(config.Health)));
        return finish;
    }

    /// <summary>
    /// Refuses early, before the lock or any upload, when the host's nginx site predates the socket switch: switching
    /// a symlink nginx does not use would stop the old slot under live traffic. Nothing to check without nginx.
    /// </summary>
    public static IReadOnlyList<Step> ProxyChecks(PlanContext context, TenantConfig tenant, HostConfig host, TenantPaths paths) =>
        host.Strategy == DeployStrategy.BlueGreen
            ? [new RunStep("check that the nginx site proxies to the active socket", ProxyCommands.RequireSocketSite(host, tenant, paths, context.Environment.Name)) { RefusesRun = true }]
            : [];

    /// <summary>The slot's TCP port (health gate, bake, status) and, behind nginx, the socket nginx reaches it through.</summary>
    private static string SlotUrls(HostConfig host, TenantPaths paths, Slot slot, int port) =>
        host.Strategy == DeployStrategy.BlueGreen ? $"http://127.0.0.1:{port};http://unix:{paths.SlotSocket(slot)}" : $"http://127.0.0.1:{port}";

    /// <summary>The port of the slot that serves now: where the health gate asked; the tenant's own port without a proxy.</summary>
    public static int ActivePort(TenantConfig tenant, HostConfig host, HostState state) =>
        host.Strategy == DeployStrategy.Restart || state.ActiveSlot is not { } active ? tenant.Port : tenant.SlotPorts[active == Slot.Blue ? 0 : 1];

    /// <summary>The port the new version answers on once <see cref="Activate"/> has switched to it (its full /health is asked there).</summary>
    public static int NewActivePort(TenantConfig tenant, HostConfig host, HostState state) => new SlotPorts(tenant, host).Of(IdleSlot(host, state));

    private static Slot IdleSlot(HostConfig host, HostState state) =>
        host.Strategy == DeployStrategy.BlueGreen ? (state.ActiveSlot ?? Slot.Green).Other() : Slot.Blue;

    /// <summary>The two ports a tenant's slots listen on: behind nginx one each; without a proxy the tenant's own port.</summary>
    private sealed record SlotPorts(TenantConfig Tenant, HostConfig Host)
    {
        public int Of(Slot slot) => Host.Strategy == DeployStrategy.Restart ? Tenant.Port : Tenant.SlotPorts[slot == Slot.Blue ? 0 : 1];
    }
}
