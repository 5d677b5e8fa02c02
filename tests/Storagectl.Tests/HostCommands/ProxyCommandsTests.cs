using Storagectl.HostCommands;
using Storagectl.Planning;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class ProxyCommandsTests
{
    [Fact]
    public void PointTo_replaces_the_active_socket_link_and_records_the_slot() =>
        ProxyCommands.PointTo(Acme, Slot.Green).ShouldBe("""
            set -e
            [ -S /srv/storage/acme/run/green.sock ] || { echo 'the green slot does not listen on /srv/storage/acme/run/green.sock' >&2; exit 1; }
            ln -sfn green.sock /srv/storage/acme/run/active.sock.next
            mv -T /srv/storage/acme/run/active.sock.next /srv/storage/acme/run/active.sock
            echo green > /srv/storage/acme/active
            """);

    [Fact]
    public void RequireSocketSite_refuses_a_site_that_does_not_use_the_link() =>
        ProxyCommands.RequireSocketSite(ProcessHost, AcmeTenant, Acme, "production").ShouldBe(
            "grep -qF -- 'proxy_pass http://unix:/srv/storage/acme/run/active.sock:' /etc/nginx/conf.d/storage-acme.conf 2>/dev/null" +
            " || { echo 'the nginx site /etc/nginx/conf.d/storage-acme.conf does not proxy to /srv/storage/acme/run/active.sock; run `storagectl provision production` first' >&2; exit 75; }");

    [Fact]
    public void WriteSite_keeps_the_site_it_replaces_and_RestoreSite_puts_it_back()
    {
        ProxyCommands.WriteSite(ProcessHost, AcmeTenant, Acme).ShouldBe(
            "mkdir -p /etc/nginx/conf.d" +
            " && { [ -f /etc/nginx/conf.d/storage-acme.conf ] && cp -p /etc/nginx/conf.d/storage-acme.conf /etc/nginx/conf.d/storage-acme.conf.previous || rm -f /etc/nginx/conf.d/storage-acme.conf.previous; }" +
            " && cat > /etc/nginx/conf.d/storage-acme.conf && nginx -t -q -c /etc/nginx/test.conf" +
            " && { nginx -s reload -c /etc/nginx/test.conf 2>/dev/null || echo 'nginx is not running; start it to serve the site'; }" +
            " && rm -rf /srv/storage/acme/nginx");
        ProxyCommands.RestoreSite(ProcessHost, AcmeTenant).ShouldBe(
            "if [ -f /etc/nginx/conf.d/storage-acme.conf.previous ]; then mv /etc/nginx/conf.d/storage-acme.conf.previous /etc/nginx/conf.d/storage-acme.conf;" +
            " else rm -f /etc/nginx/conf.d/storage-acme.conf; fi; nginx -s reload -c /etc/nginx/test.conf 2>/dev/null || true");
    }

    [Fact]
    public void KeepOrCreateActiveSocket_keeps_a_live_link() =>
        ProxyCommands.KeepOrCreateActiveSocket(Acme).ShouldBe("""
            set -e
            mkdir -p /srv/storage/acme/run
            if [ ! -L /srv/storage/acme/run/active.sock ]; then
              slot=$(cat /srv/storage/acme/active 2>/dev/null || true)
              [ "$slot" = green ] || slot=blue
              ln -sfn "$slot.sock" /srv/storage/acme/run/active.sock
            fi
            [ -S /srv/storage/acme/run/active.sock ] || echo 'no slot listens on /srv/storage/acme/run/active.sock yet: nginx answers 502 for acme until the next deploy'
            """);
}
