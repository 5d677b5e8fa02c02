using Storagectl.HostCommands;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class DiskCommandsTests
{
    [Fact]
    public void RequireFree_adds_up_what_the_deploy_needs_and_names_the_numbers_when_it_does_not_fit() =>
        DiskCommands.RequireFree(Acme, "web-1", "2.0.0", new DiskNeed(3, 30, "MIN_FREE_DISK_MB", 512)).ShouldBe("""
            dir=/srv/storage/acme
            while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
            unpacked=30
            if [ -d /srv/storage/acme/releases/2.0.0 ]; then unpacked=0; fi
            copy=0
            if [ -f /srv/storage/acme/shared/data/storage.db ]; then copy=$(du -k /srv/storage/acme/shared/data/storage.db | awk '{ print int(($1 + 1023) / 1024) }'); fi
            read -r free mount <<< "$(df -Pk "$dir" | awk 'NR == 2 { print int($4 / 1024), $6 }')"
            if [ -z "$free" ]; then echo "could not read the free disk of $dir" >&2; exit 1; fi
            model=0
            need=$(( 3 + unpacked + model + copy + 512 ))
            if [ "$free" -lt "$need" ]; then
              printf 'not enough disk on %s for %s: needs %s MiB (artifact %s + unpacked %s + database copy %s + %s %s), %s MiB free on %s\n' \
                web-1 2.0.0 "$need" 3 "$unpacked" "$copy" MIN_FREE_DISK_MB 512 "$free" "$mount" >&2
              exit 1
            fi
            echo "$free MiB free on $mount, $need MiB needed"
            """);
}
