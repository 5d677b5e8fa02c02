using Storagectl.HostCommands;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class ProbeCommandsTests
{
    [Fact]
    public void TenantFolder_prints_key_value_lines_and_hashes_env_values() =>
        ProbeCommands.TenantFolder(SystemdHost, Acme, 20).ShouldBe("""
            [ -d /srv/storage/models ] && ls -1 /srv/storage/models | grep -v '^\.' | sed 's/^/model=/'
            cd /srv/storage/acme 2>/dev/null || exit 0
            echo "slot.blue=$(systemctl is-active --quiet storage-acme@blue.service && echo running || echo stopped)"
            echo "slot.green=$(systemctl is-active --quiet storage-acme@green.service && echo running || echo stopped)"
            [ -L current ] && echo "current=$(basename "$(readlink current)")"
            [ -f active ] && echo "active=$(cat active)"
            [ -f warm ] && echo "warm=$(cat warm)"
            pid=$(systemctl show -p MainPID --value storage-acme@blue.service 2>/dev/null | grep -v '^0$'); [ -n "$pid" ] && [ -r "/proc/$pid/status" ] && echo "rss.blue=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")"
            pid=$(systemctl show -p MainPID --value storage-acme@green.service 2>/dev/null | grep -v '^0$'); [ -n "$pid" ] && [ -r "/proc/$pid/status" ] && echo "rss.green=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")"
            [ -d releases ] && ls -1t releases | sed 's/^/release=/'
            for manifest in releases/*/release.json; do [ -f "$manifest" ] && echo "manifest=$(tr -d '\n' < "$manifest")"; done
            [ -f deploys.jsonl ] && tail -n 20 deploys.jsonl | sed 's/^/history=/'
            [ -f deploys.jsonl ] && grep -v -e '"kind":"probe"' -e '"kind":"backup"' -e '"kind":"checklist"' -e '"kind":"window-end"' deploys.jsonl | tail -n 1 | sed 's/^/lastchange=/'
            if [ -d /srv/storage/acme/deploy.lock ]; then echo "lock=$(tr -d '\n' < /srv/storage/acme/deploy.lock/owner.json 2>/dev/null)"; fi
            if [ -f /srv/storage/acme/shared/.env ]; then
              while IFS= read -r line; do
                case "$line" in *=*) printf 'env.%s=%s\n' "${line%%=*}" "$(printf '%s' "${line#*=}" | sha256sum | cut -c1-64)";; esac
              done < /srv/storage/acme/shared/.env
            fi
            """);

    /// <summary>`status` shows the last run that changed the tenant, however many routine probes, backups and checklists came after it.</summary>
    [Fact]
    public async Task The_last_change_is_read_past_any_number_of_probes_and_backups()
    {
        var root = Directory.CreateTempSubdirectory("probe-");
        try
        {
            var paths = new TenantPaths(root.FullName, "acme");
            Directory.CreateDirectory(paths.Root);
            DeployRecord Record(string kind, string version) =>
                new(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "production", "acme", "web-1", version, null, null, "ana", DeployRecord.Succeeded, null, kind);
            var lines = new[] { Record(DeployPlan.Deploy, "1.0.0"), Record(DeployPlan.Move, "1.0.0") }
                .Concat(Enumerable.Range(0, 30).Select(i => Record(DeployPlan.Routine[i % 3], "1.0.0")));
            await File.WriteAllLinesAsync(paths.History, lines.Select(r => r.ToJson()));

            var probe = await new LocalConnection("here").RunAsync(ProbeCommands.TenantFolder(ProcessHost, paths, 20));

            var state = HostState.Parse(probe.Output);
            state.History.Count.ShouldBe(20);
            state.History.ShouldAllBe(r => DeployPlan.Routine.Contains(r.Kind));
            state.LastChange.ShouldNotBeNull().Kind.ShouldBe(DeployPlan.Move);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
