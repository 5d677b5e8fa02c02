using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>
/// Starting and stopping one slot of a tenant's service, as shell commands for the host's service manager:
/// a systemd template unit per tenant (instance = slot), or a plain supervised process with a pid file where
/// systemd is not running (containers, test hosts).
/// </summary>
public static class ServiceCommands
{
    public static string UnitName(string tenant, Slot slot) => $"storage-{tenant}@{slot.Name()}.service";

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
    /// is not running. SIGCONT first: a stopped (frozen) process would only act on SIGTERM once continued.
    /// </summary>
    public static string Stop(HostConfig host, TenantPaths paths, Slot slot) => host.ServiceManager switch
    {
        ServiceManager.Systemd => $"systemctl stop {UnitName(paths.Tenant, slot)}",
        _ => $$"""
            pidfile={{Shell.Quote(paths.SlotPid(slot))}}
            if [ -f "$pidfile" ]; then
              pid=$(cat "$pidfile")
              if kill -0 "$pid" 2>/dev/null; then
                # A frozen (SIGSTOPped) process acts on SIGTERM only once continued. It may also exit on its own meanwhile.
                kill -CONT "$pid" 2>/dev/null || true
                kill -TERM "$pid" 2>/dev/null || true
                i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
                kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
              fi
              rm -f "$pidfile"
            fi
            true
            """,
    };

    /// <summary>Prints "running" or "stopped" for the slot.</summary>
    public static string Status(HostConfig host, TenantPaths paths, Slot slot) => host.ServiceManager switch
    {
        ServiceManager.Systemd => $"systemctl is-active --quiet {UnitName(paths.Tenant, slot)} && echo running || echo stopped",
        _ => $"[ -f {Shell.Quote(paths.SlotPid(slot))} ] && kill -0 \"$(cat {Shell.Quote(paths.SlotPid(slot))})\" 2>/dev/null && echo running || echo stopped",
    };
}
