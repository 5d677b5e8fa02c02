using Storagectl.HostCommands;
using Storagectl.Planning;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class ReleaseFolderCommandsTests
{
    [Fact]
    public void Links_change_by_renaming_a_fresh_link_over_the_old_one()
    {
        ReleaseFolderCommands.PointCurrent(Acme, "2.0.0").ShouldBe(
            "ln -sfn releases/2.0.0 /srv/storage/acme/current.next && mv -T /srv/storage/acme/current.next /srv/storage/acme/current");
        ReleaseFolderCommands.LinkSlot(Spaced, Slot.Green, "2.0.0").ShouldBe(
            "ln -sfn ../releases/2.0.0 '/srv/my storage/acme/slots/green'.next && mv -T '/srv/my storage/acme/slots/green'.next '/srv/my storage/acme/slots/green'");
        ReleaseFolderCommands.RemoveCurrent(Acme).ShouldBe("rm -f /srv/storage/acme/current");
    }

    [Fact]
    public void Releases_are_removed_by_name_and_an_unpack_is_undone_unless_current()
    {
        ReleaseFolderCommands.Remove(Acme, ["1.0.0", "1.1.0"]).ShouldBe("rm -rf /srv/storage/acme/releases/1.0.0 /srv/storage/acme/releases/1.1.0");
        ReleaseFolderCommands.RemoveUnlessCurrent(Acme, "2.0.0").ShouldBe(
            "[ \"$(basename \"$(readlink /srv/storage/acme/current)\")\" = 2.0.0 ] || rm -rf /srv/storage/acme/releases/2.0.0");
    }

    [Fact]
    public void Unpack_writes_into_a_partial_folder_and_moves_it_into_place() =>
        ReleaseFolderCommands.Unpack(Acme, "2.0.0", "/srv/storage/acme/uploads/a.tar.gz").ShouldBe("""
            set -e
            manifest=$(cat)
            if [ ! -d /srv/storage/acme/releases/2.0.0 ]; then
              rm -rf /srv/storage/acme/releases/.2.0.0.partial && mkdir -p /srv/storage/acme/releases/.2.0.0.partial
              clean_up() { rm -rf /srv/storage/acme/releases/.2.0.0.partial /srv/storage/acme/uploads/a.tar.gz; }
              trap clean_up EXIT
              if ! errors=$(tar -xzf /srv/storage/acme/uploads/a.tar.gz -C /srv/storage/acme/releases/.2.0.0.partial 2>&1); then
                printf '%s\n' "$errors" | head -n 20 >&2
                why=$(printf '%s\n' "$errors" | grep -m 1 'No space left on device' || printf '%s\n' "$errors" | grep -v -e 'Exiting with failure status' -e '^$' | head -n 1)
                free=$(df -Pk /srv/storage/acme/releases/.2.0.0.partial | awk 'NR == 2 { print $4 }')
                case "$why" in *'No space left on device'*) ;; *) [ "${free:-0}" -ge 1024 ] || why="$why (No space left on device: ${free:-0} KiB free)";; esac
                printf 'unpacking failed: %s\n' "$why" >&2
                exit 1
              fi
              printf '%s\n' "$manifest" > /srv/storage/acme/releases/.2.0.0.partial/release.json
              mv -T /srv/storage/acme/releases/.2.0.0.partial /srv/storage/acme/releases/2.0.0
              trap - EXIT
            fi
            rm -f /srv/storage/acme/uploads/a.tar.gz
            """);
}
