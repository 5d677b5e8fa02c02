using Storagectl.HostCommands;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class EnvFileCommandsTests
{
    [Fact]
    public void Write_replaces_the_file_from_stdin_keeping_the_previous_one() =>
        EnvFileCommands.Write(Acme).ShouldBe("""
            set -e
            umask 077
            cat > /srv/storage/acme/shared/.env.next
            if [ -f /srv/storage/acme/shared/.env ]; then cp -p /srv/storage/acme/shared/.env /srv/storage/acme/shared/.env.previous; fi
            mv /srv/storage/acme/shared/.env.next /srv/storage/acme/shared/.env
            chmod 600 /srv/storage/acme/shared/.env
            """);

    [Fact]
    public void RestorePrevious_and_Remove_undo_a_write() =>
        (EnvFileCommands.RestorePrevious(Acme), EnvFileCommands.Remove(Spaced)).ShouldBe((
            "[ -f /srv/storage/acme/shared/.env.previous ] && mv /srv/storage/acme/shared/.env.previous /srv/storage/acme/shared/.env || true",
            "rm -f '/srv/my storage/acme/shared/.env'"));
}
