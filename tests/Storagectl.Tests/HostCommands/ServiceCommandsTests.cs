using Storagectl.HostCommands;
using Storagectl.Planning;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class ServiceCommandsTests
{
    [Fact]
    public void Systemd_starts_stops_and_asks_the_slot_instance_of_the_tenant_unit()
    {
        ServiceCommands.Start(SystemdHost, Acme, Slot.Green, "storage-api").ShouldBe("systemctl start storage-acme@green.service");
        ServiceCommands.Stop(SystemdHost, Acme, Slot.Blue).ShouldBe("systemctl stop storage-acme@blue.service");
        ServiceCommands.Status(SystemdHost, Acme, Slot.Blue).ShouldBe("systemctl is-active --quiet storage-acme@blue.service && echo running || echo stopped");
    }

    [Fact]
    public void A_plain_process_runs_in_the_background_with_a_pid_file()
    {
        ServiceCommands.Start(ProcessHost, Acme, Slot.Green, "storage-api").ShouldBe("""
            set -e
            mkdir -p /srv/storage/acme/run /srv/storage/acme/shared/logs
            rm -f /srv/storage/acme/run/green.sock
            cd /srv/storage/acme/shared
            while IFS= read -r line; do export "$line"; done < /srv/storage/acme/shared/slot-green.env
            setsid /srv/storage/acme/slots/green/storage-api >> /srv/storage/acme/shared/logs/green.log 2>&1 < /dev/null &
            echo $! > /srv/storage/acme/run/green.pid
            """);
        ServiceCommands.Status(ProcessHost, Spaced, Slot.Blue).ShouldBe(
            "[ -f '/srv/my storage/acme/run/blue.pid' ] && kill -0 \"$(cat '/srv/my storage/acme/run/blue.pid')\" 2>/dev/null && echo running || echo stopped");
        ServiceCommands.Stop(ProcessHost, Acme, Slot.Blue).ShouldStartWith("pidfile=/srv/storage/acme/run/blue.pid\nif [ -f \"$pidfile\" ]; then\n");
    }

    [Fact]
    public void The_slot_env_names_its_urls_and_a_drain_waits_for_the_slot_socket_to_have_no_connection_before_the_stop()
    {
        ServiceCommands.WriteSlotEnv(Acme, Slot.Blue, "http://127.0.0.1:8201;http://unix:/srv/storage/acme/run/blue.sock").ShouldBe(
            "printf 'URLS=%s\\n' 'http://127.0.0.1:8201;http://unix:/srv/storage/acme/run/blue.sock' > /srv/storage/acme/shared/slot-blue.env");
        ServiceCommands.DrainAndStop(SystemdHost, Acme, Slot.Blue, 2).ShouldBe("""
            sleep 0.1
            i=0; while [ $i -lt 20 ] && [ "$(awk -v s=/srv/storage/acme/run/blue.sock '$NF == s && $6 == "03"' /proc/net/unix | wc -l)" -gt 0 ]; do sleep 0.1; i=$((i + 1)); done
            systemctl stop storage-acme@blue.service
            """);
    }

    [Fact]
    public void Provisioning_creates_the_user_and_installs_the_template_unit_so_that_it_can_be_put_back()
    {
        ServiceCommands.CreateUser(Acme).ShouldBe(
            "id -u storage >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin storage; " +
            "chown -R storage: /srv/storage/acme/shared /srv/storage/acme/run");
        ServiceCommands.InstallUnit("acme").ShouldBe(
            "{ [ -f /etc/systemd/system/storage-acme@.service ] && cp -p /etc/systemd/system/storage-acme@.service /etc/systemd/system/storage-acme@.service.previous" +
            " || rm -f /etc/systemd/system/storage-acme@.service.previous; } && cat > /etc/systemd/system/storage-acme@.service && systemctl daemon-reload");
        ServiceCommands.RestoreUnit("acme").ShouldBe(
            "{ if [ -f /etc/systemd/system/storage-acme@.service.previous ]; then mv /etc/systemd/system/storage-acme@.service.previous /etc/systemd/system/storage-acme@.service;" +
            " else rm -f /etc/systemd/system/storage-acme@.service; fi; } && systemctl daemon-reload");
    }
}
