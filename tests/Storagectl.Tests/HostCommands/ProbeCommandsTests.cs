using Storagectl.HostCommands;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class ProbeCommandsTests
{
    [Fact]
    public void TenantFolder_prints_key_value_lines_and_hashes_env_values() =>
        ProbeCommands.TenantFolder(SystemdHost, Acme, 20).ShouldBe("""
            cd /srv/storage/acme 2>/dev/null || exit 0
            echo "slot.blue=$(systemctl is-active --quiet storage-acme@blue.service && echo running || echo stopped)"
            echo "slot.green=$(systemctl is-active --quiet storage-acme@green.service && echo running || echo stopped)"
            [ -L current ] && echo "current=$(basename "$(readlink current)")"
            [ -f active ] && echo "active=$(cat active)"
            [ -d releases ] && ls -1t releases | sed 's/^/release=/'
            for manifest in releases/*/release.json; do [ -f "$manifest" ] && echo "manifest=$(tr -d '\n' < "$manifest")"; done
            [ -f deploys.jsonl ] && tail -n 20 deploys.jsonl | sed 's/^/history=/'
            if [ -d /srv/storage/acme/deploy.lock ]; then echo "lock=$(tr -d '\n' < /srv/storage/acme/deploy.lock/owner.json 2>/dev/null)"; fi
            if [ -f /srv/storage/acme/shared/.env ]; then
              while IFS= read -r line; do
                case "$line" in *=*) printf 'env.%s=%s\n' "${line%%=*}" "$(printf '%s' "${line#*=}" | sha256sum | cut -c1-64)";; esac
              done < /srv/storage/acme/shared/.env
            fi
            """);
}
