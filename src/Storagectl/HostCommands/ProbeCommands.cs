using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>Reading a tenant's folder on a host, changing nothing; <see cref="HostState.Parse"/> reads the answer.</summary>
public static class ProbeCommands
{
    /// <summary>
    /// key=value lines about the host's models and the tenant folder, releases newest first. Env values are sent back as sha256 hashes, so
    /// no secret crosses the wire, yet the plan can still say "changed".
    /// </summary>
    public static string TenantFolder(HostConfig host, TenantPaths paths, int historyLines) => $$"""
        [ -d {{Shell.Quote(paths.Models)}} ] && ls -1 {{Shell.Quote(paths.Models)}} | grep -v '^\.' | sed 's/^/model=/'
        cd {{Shell.Quote(paths.Root)}} 2>/dev/null || exit 0
        echo "slot.blue=$({{ServiceCommands.Status(host, paths, Slot.Blue)}})"
        echo "slot.green=$({{ServiceCommands.Status(host, paths, Slot.Green)}})"
        [ -L current ] && echo "current=$(basename "$(readlink current)")"
        [ -f active ] && echo "active=$(cat active)"
        [ -f warm ] && echo "warm=$(cat warm)"
        {{Rss(host, paths, Slot.Blue)}}
        {{Rss(host, paths, Slot.Green)}}
        [ -d releases ] && ls -1t releases | sed 's/^/release=/'
        for manifest in releases/*/{{TenantPaths.ManifestFile}}; do [ -f "$manifest" ] && echo "manifest=$(tr -d '\n' < "$manifest")"; done
        [ -f deploys.jsonl ] && tail -n {{historyLines}} deploys.jsonl | sed 's/^/history=/'
        [ -f deploys.jsonl ] && grep -v {{string.Join(" ", DeployPlan.Routine.Select(kind => $"-e '\"kind\":\"{kind}\"'"))}} deploys.jsonl | tail -n 1 | sed 's/^/lastchange=/'
        if [ -d {{Shell.Quote(paths.Lock)}} ]; then echo "lock=$(tr -d '\n' < {{Shell.Quote(paths.LockOwner)}} 2>/dev/null)"; fi
        if [ -f {{Shell.Quote(paths.EnvFile)}} ]; then
          while IFS= read -r line; do
            case "$line" in *=*) printf 'env.%s=%s\n' "${line%%=*}" "$(printf '%s' "${line#*=}" | sha256sum | cut -c1-64)";; esac
          done < {{Shell.Quote(paths.EnvFile)}}
        fi
        """;

    /// <summary>The slot's resident memory in KiB, when it runs: what a warm slot costs.</summary>
    private static string Rss(HostConfig host, TenantPaths paths, Slot slot) =>
        $"pid=$({ServiceCommands.Pid(host, paths, slot)}); [ -n \"$pid\" ] && [ -r \"/proc/$pid/status\" ] && " +
        $"echo \"rss.{slot.Name()}=$(awk '/^VmRSS:/ {{ print $2 }}' \"/proc/$pid/status\")\"";
}
