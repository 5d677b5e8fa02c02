using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// Starting and stopping one slot of a tenant's service, as shell commands for the host's service manager:
/// a systemd template unit per tenant (instance = slot), or a plain supervised process with a pid file where
/// systemd is not running (containers, test hosts).
/// </summary>
public static class ServiceCommands
{
    public const string ServiceUser = "storage";

    public static string UnitName(string tenant, Slot slot) => $"storage-{tenant}@{slot.Name()}.service";

    /// <summary>The template unit both slots are instances of.</summary>
    public static string TemplateUnitName(string tenant) => $"storage-{tenant}@.service";

    /// <summary>The slot's own variables (its URLS), read beside shared/.env when it starts.</summary>
    public static string WriteSlotEnv(TenantPaths paths, Slot slot, string urls) =>
        $"printf 'URLS=%s\\n' {Shell.Quote(urls)} > {Shell.Quote(paths.SlotEnv(slot))}";

    /// <summary>
    /// Stops the slot once nothing is in flight on it, at most <paramref name="drainSeconds"/> after the switch. nginx
    /// opens one connection per request to the slot's socket (no upstream keepalive), so the connections the kernel
    /// lists for that socket in /proc/net/unix (state 03: connected, accepted or still queued) are its requests in
    /// flight. The first 0.1 s are always given: a connect() that read the link just before the switch lands in it.
    /// </summary>
    public static string DrainAndStop(HostConfig host, TenantPaths paths, Slot slot, int drainSeconds) =>
        $$"""
        sleep 0.1
        i=0; while [ $i -lt {{drainSeconds * 10}} ] && [ "$(awk -v s={{Shell.Quote(paths.SlotSocket(slot))}} '$NF == s && $6 == "03"' /proc/net/unix | wc -l)" -gt 0 ]; do sleep 0.1; i=$((i + 1)); done
        """ + "\n" + Stop(host, paths, slot);

    /// <summary>The user systemd runs the service as; the service's folders become its own.</summary>
    public static string CreateUser(TenantPaths paths) =>
        $"id -u {ServiceUser} >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin {ServiceUser}; " +
        $"chown -R {ServiceUser}: {Shell.Quote(paths.Shared)} {Shell.Quote(paths.Run)}";

    /// <summary>Writes the template unit given on stdin, keeping the one it replaces until the provision is done.</summary>
    public static string InstallUnit(string tenant)
    {
        var unit = Shell.Quote(UnitFile(tenant));
        return $"{{ [ -f {unit} ] && cp -p {unit} {unit}.previous || rm -f {unit}.previous; }} && cat > {unit} && systemctl daemon-reload";
    }

    /// <summary>Undoes <see cref="InstallUnit"/>: the unit it replaced, or none.</summary>
    public static string RestoreUnit(string tenant)
    {
        var unit = Shell.Quote(UnitFile(tenant));
        return $"{{ if [ -f {unit}.previous ]; then mv {unit}.previous {unit}; else rm -f {unit}; fi; }} && systemctl daemon-reload";
    }

    private static string UnitFile(string tenant) => $"/etc/systemd/system/{TemplateUnitName(tenant)}";

    /// <summary>One template per tenant; the instance is the slot, so blue and green run side by side.</summary>
    public static string SystemdUnit(ServiceSettings service, TenantPaths paths) => $"""
        [Unit]
        Description={service.Name} for {paths.Tenant} (%i slot)
        After=network-online.target

        [Service]
        User={ServiceUser}
        WorkingDirectory={paths.Shared}
        EnvironmentFile={paths.Shared}/slot-%i.env
        # A socket file left by a crash would make the bind fail.
        ExecStartPre=/bin/rm -f {paths.Run}/%i.sock
        ExecStart={paths.Slots}/%i/{service.Executable}
        UMask=0077
        Restart=on-failure
        RestartSec=2
        KillSignal=SIGTERM
        TimeoutStopSec=30
        NoNewPrivileges=true
        ProtectSystem=strict
        ReadWritePaths={paths.Shared} {paths.Run}

        [Install]
        WantedBy=multi-user.target
        """;

    public static string Start(HostConfig host, TenantPaths paths, Slot slot, string executable) => host.ServiceManager switch
    {
        ServiceManager.Systemd => $"systemctl start {UnitName(paths.Tenant, slot)}",
        // The service reads shared/.env from its working directory; the slot's URLS come from the slot env file.
        // Only the service itself goes to the background, so $! is its pid (setsid does not fork outside job control).
        // The slot env file is read literally, as systemd's EnvironmentFile reads it (URLS holds a ';').
        // A socket file left by a killed process would make the bind fail.
        _ => $$"""
            set -e
            mkdir -p {{Shell.Quote(paths.Run)}} {{Shell.Quote(paths.Logs)}}
            rm -f {{Shell.Quote(paths.SlotSocket(slot))}}
            cd {{Shell.Quote(paths.Shared)}}
            while IFS= read -r line; do export "$line"; done < {{Shell.Quote(paths.SlotEnv(slot))}}
            setsid {{Shell.Quote(paths.SlotRelease(slot) + "/" + executable)}} >> {{Shell.Quote(paths.SlotLog(slot))}} 2>&1 < /dev/null &
            echo $! > {{Shell.Quote(paths.SlotPid(slot))}}
            """,
    };

    /// <summary>
    /// Stops the slot gracefully (SIGTERM lets Kestrel finish requests in flight), forcefully after 30 seconds; fine if it
    /// is not running. A frozen (SIGSTOPped) process answers nothing and would act on SIGTERM only once continued: it is
    /// killed at once. An exited process that nobody has reaped yet (a zombie, state Z) counts as stopped.
    /// </summary>
    public static string Stop(HostConfig host, TenantPaths paths, Slot slot) => host.ServiceManager switch
    {
        ServiceManager.Systemd => $"systemctl stop {UnitName(paths.Tenant, slot)}",
        _ => $$"""
            pidfile={{Shell.Quote(paths.SlotPid(slot))}}
            if [ -f "$pidfile" ]; then
              pid=$(cat "$pidfile")
              state() { sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1; }
              alive() { s=$(state); [ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]; }
              if alive; then
                if [ "$(state)" = T ]; then kill -KILL "$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
                i=0; while alive && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
                alive && kill -KILL "$pid" 2>/dev/null || true
              fi
              rm -f "$pidfile"
            fi
            true
            """,
    };

    /// <summary>The slot's main process id, or nothing when it has none.</summary>
    public static string Pid(HostConfig host, TenantPaths paths, Slot slot) => host.ServiceManager switch
    {
        ServiceManager.Systemd => $"systemctl show -p MainPID --value {UnitName(paths.Tenant, slot)} 2>/dev/null | grep -v '^0$'",
        _ => $"cat {Shell.Quote(paths.SlotPid(slot))} 2>/dev/null",
    };

    /// <summary>Prints "running" or "stopped" for the slot.</summary>
    public static string Status(HostConfig host, TenantPaths paths, Slot slot) => host.ServiceManager switch
    {
        ServiceManager.Systemd => $"systemctl is-active --quiet {UnitName(paths.Tenant, slot)} && echo running || echo stopped",
        _ => $"[ -f {Shell.Quote(paths.SlotPid(slot))} ] && kill -0 \"$(cat {Shell.Quote(paths.SlotPid(slot))})\" 2>/dev/null && echo running || echo stopped",
    };
}
