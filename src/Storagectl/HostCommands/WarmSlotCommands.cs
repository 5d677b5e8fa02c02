using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// The rollback window: after a switch the slot traffic left keeps running for a while, so a rollback inside the window
/// is a checked switch back to it. Its record is <see cref="TenantPaths.Warm"/> ("slot version until"); a timer on the
/// host ends the window at "until" (stops the slot under the tenant lock, removes the record, writes a history line),
/// and any run that needs the slot before then (the next deploy starts its release there) ends it by itself.
/// </summary>
public static class WarmSlotCommands
{
    public const string Who = "rollback window";
    public const string EndKind = DeployPlan.WindowEnd;

    /// <summary>Writes the record and starts the timer that ends the window after <paramref name="seconds"/>.</summary>
    public static string Keep(HostConfig host, string environment, TenantPaths paths, Slot slot, string version, int seconds)
    {
        var end = Shell.Quote(End(host, environment, paths, slot, version));
        var timer = host.ServiceManager switch
        {
            ServiceManager.Systemd =>
                $"systemd-run --quiet --collect --unit=\"storage-{paths.Tenant}-window-$until\" --on-active={seconds}s /bin/bash -c {end} window-end \"$until\"",
            // setsid: the timer outlives this ssh session; stdio closed so the session can end at once.
            _ => $"setsid bash -c {Shell.Quote("sleep " + seconds + "\n")}{end} window-end \"$until\" > /dev/null 2>&1 < /dev/null &",
        };
        return $"""
            set -e
            until=$(( $(date +%s) + {seconds} ))
            printf '%s %s %s\n' {slot.Name()} {Shell.Quote(version)} "$until" > {Shell.Quote(paths.Warm)}.next
            mv {Shell.Quote(paths.Warm)}.next {Shell.Quote(paths.Warm)}
            {timer}
            """;
    }

    /// <summary>Ends no window any more: the record goes (the slot it named is stopped or active again).</summary>
    public static string Forget(TenantPaths paths) => $"rm -f {Shell.Quote(paths.Warm)}";

    /// <summary>
    /// The timer's script ($1: the window's end, as written in the record). It acts only while the record is still the
    /// one it was started for (a later run replaced or ended it otherwise), and only under the tenant lock, which it
    /// waits for up to 5 minutes; a run that holds the lock that long ends the window itself or uses it.
    /// </summary>
    public static string End(HostConfig host, string environment, TenantPaths paths, Slot slot, string version)
    {
        var record = $"{slot.Name()} {version} ";
        var owner = $$"""{"who":"{{Who}}","since":"%s","version":"{{version}}","token":"window-%s","kind":"{{EndKind}}"}""";
        var line = $$"""{"startedAt":"%s","finishedAt":"%s","environment":"{{environment}}","tenant":"{{paths.Tenant}}","host":"{{host.Name}}","version":"{{version}}","commit":null,"previousVersion":null,"who":"{{Who}}","outcome":"succeeded","error":null,"kind":"{{EndKind}}"}""";
        return $$"""
            cd {{Shell.Quote(paths.Root)}} || exit 0
            record={{Shell.Quote(record)}}"$1"
            for attempt in $(seq 60); do
              [ "$(cat warm 2>/dev/null)" = "$record" ] || exit 0
              if mkdir deploy.lock 2>/dev/null; then
                now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
                printf {{Shell.Quote(owner + "\n")}} "$now" "$1" > deploy.lock/owner.json
                if [ "$(cat warm 2>/dev/null)" = "$record" ] && [ "$(cat active 2>/dev/null)" != {{slot.Name()}} ]; then
            {{Indent(ServiceCommands.Stop(host, paths, slot), "        ")}}
                  rm -f warm
                  printf {{Shell.Quote(line + "\n")}} "$now" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> deploys.jsonl
                fi
                rm -rf deploy.lock
                exit 0
              fi
              sleep 5
            done
            """;
    }

    /// <summary>
    /// A rollback's check of the warm slot: /health on its port answers 200 with <paramref name="version"/> (a few tries
    /// 0.2 s apart). When it does not, the record goes and the step fails: run again, and the rollback starts the release
    /// afresh in that slot.
    /// </summary>
    public static string Check(TenantPaths paths, int port, string path, string version, Slot slot)
    {
        var url = Shell.Quote(HealthCommands.Url(port, path));
        var failed = Shell.Quote($"the warm {slot.Name()} slot does not answer {HealthCommands.Url(port, path)} with version {version}; " +
            $"its rollback window is ended: run the rollback again to start {version} afresh. Last answer: ");
        return $$"""
            i=0
            until body=$(curl -fsS -m 1 {{url}} 2>&1) && printf '%s' "$body" | grep -qF {{Shell.Quote($"\"version\":\"{version}\"")}}; do
              i=$((i + 1))
              if [ $i -ge 5 ]; then {{Forget(paths)}}; echo {{failed}}"$(printf '%s' "$body" | head -c 200)" >&2; exit 1; fi
              sleep 0.2
            done
            """;
    }

    private static string Indent(string script, string by) => string.Join('\n', script.Split('\n').Select(l => by + l));
}
