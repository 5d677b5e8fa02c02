using Storagectl.HostCommands;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class DatabaseCommandsTests
{
    [Fact]
    public void The_admin_verbs_run_the_release_binary_in_shared()
    {
        DatabaseCommands.CheckConfig(Acme, "2.0.0", "storage-api")
            .ShouldBe("cd /srv/storage/acme/shared && /srv/storage/acme/releases/2.0.0/storage-api check-config");
        DatabaseCommands.Migrate(Acme, "2.0.0", "storage-api")
            .ShouldBe("cd /srv/storage/acme/shared && /srv/storage/acme/releases/2.0.0/storage-api migrate");
        DatabaseCommands.Backup(Spaced, "2.0.0", "storage-api", "/srv/my storage/acme/shared/backups/x.db")
            .ShouldBe("cd '/srv/my storage/acme/shared' && '/srv/my storage/acme/releases/2.0.0/storage-api' backup '/srv/my storage/acme/shared/backups/x.db'");
    }

    [Fact]
    public void PruneBackups_keeps_the_newest() =>
        DatabaseCommands.PruneBackups(Acme, 3).ShouldBe(
            "cd /srv/storage/acme/shared/backups && ls -1t -- *-before-*.db 2>/dev/null | tail -n +4 | while IFS= read -r old; do rm -f -- \"$old\"; done");

    [Fact]
    public void BackupToStdout_streams_a_fresh_copy_and_leaves_nothing_behind() =>
        DatabaseCommands.BackupToStdout(Acme, "storage-api").ShouldBe("""
            set -e
            cd /srv/storage/acme/shared
            work=$(mktemp -d /srv/storage/acme/shared/backups/.checklist.XXXXXX)
            trap 'rm -rf "$work"' EXIT
            /srv/storage/acme/current/storage-api backup "$work/copy.db" >&2
            cat "$work/copy.db"
            """);
}
