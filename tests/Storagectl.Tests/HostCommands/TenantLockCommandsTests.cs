using Storagectl.HostCommands;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class TenantLockCommandsTests
{
    [Fact]
    public void Take_renames_a_fresh_folder_onto_the_lock_and_names_the_holder_when_it_cannot() =>
        TenantLockCommands.Take(Acme, "run `storagectl lock release production --tenant acme`").ShouldBe("""
            set -e
            mkdir -p /srv/storage/acme
            candidate=$(mktemp -d /srv/storage/acme/.lock.XXXXXX)
            cat > "$candidate/owner.json"
            if ! mv -T "$candidate" /srv/storage/acme/deploy.lock 2>/dev/null; then
              rm -rf "$candidate"
              echo "locked by $(sed -n 's/.*"who":"\([^"]*\)".*/\1/p' /srv/storage/acme/deploy.lock/owner.json 2>/dev/null) since $(sed -n 's/.*"since":"\([^"]*\)".*/\1/p' /srv/storage/acme/deploy.lock/owner.json 2>/dev/null) for $(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' /srv/storage/acme/deploy.lock/owner.json 2>/dev/null); wait, or "'run `storagectl lock release production --tenant acme`' >&2
              exit 75
            fi
            """);

    [Fact]
    public void Release_removes_only_a_lock_that_is_still_ours() =>
        TenantLockCommands.Release(Acme, "t0k3n").ShouldBe(
            "grep -q '\"token\":\"t0k3n\"' /srv/storage/acme/deploy.lock/owner.json 2>/dev/null && rm -rf /srv/storage/acme/deploy.lock || true");

    [Fact]
    public void Break_refuses_a_lock_that_changed_hands_and_records_the_abandoned_run()
    {
        TenantLockCommands.Break(Acme, "t0k3n").ShouldBe("""
            if ! grep -q '"token":"t0k3n"' /srv/storage/acme/deploy.lock/owner.json 2>/dev/null; then
              echo "the lock changed hands while this run looked at it; look again with storagectl lock status" >&2
              exit 75
            fi
            rm -rf /srv/storage/acme/deploy.lock
            mkdir -p /srv/storage/acme && cat >> /srv/storage/acme/deploys.jsonl
            """);
        TenantLockCommands.Break(Acme, null).ShouldStartWith("if false; then\n");
    }
}
