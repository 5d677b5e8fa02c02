using Storagectl.HostCommands;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class ForwardCommandsTests
{
    [Fact]
    public void The_forwarding_site_marks_every_answer_with_the_tenant_it_forwards() =>
        ForwardCommands.Site(AcmeTenant, "tenant move: test", "http://10.0.0.2:8101").ShouldContain(
            $"add_header X-Storagectl-Forward \"{ForwardCommands.Marker(AcmeTenant, "http://10.0.0.2:8101")}\" always;");

    [Fact]
    public void The_marker_tells_targets_apart_without_naming_them()
    {
        var marker = ForwardCommands.Marker(AcmeTenant, "http://10.0.0.2:8101");
        marker.ShouldMatch("^acme [0-9a-f]{12}$");
        marker.ShouldNotBe(ForwardCommands.Marker(AcmeTenant, "http://10.0.0.3:8101"));
    }

    [Fact]
    public void Write_returns_only_once_the_port_answers_through_the_forward() =>
        ForwardCommands.Write(ProcessHost, AcmeTenant, "http://10.0.0.2:8101").ShouldBe(
            "mkdir -p /etc/nginx/conf.d" +
            " && { [ -f /etc/nginx/conf.d/storage-acme.conf ] && cp -p /etc/nginx/conf.d/storage-acme.conf /etc/nginx/conf.d/storage-acme.conf.previous || true; }" +
            " && cat > /etc/nginx/conf.d/storage-acme.conf && nginx -t -q -c /etc/nginx/test.conf && nginx -s reload -c /etc/nginx/test.conf" +
            $" && tries=0 && until curl -s -o /dev/null -D - -m 1 http://127.0.0.1:{AcmeTenant.Port}/health/live | grep -qiF 'X-Storagectl-Forward: {ForwardCommands.Marker(AcmeTenant, "http://10.0.0.2:8101")}';" +
            " do tries=$((tries + 1)); if [ \"$tries\" -ge 100 ]; then" +
            $" echo 'nginx did not answer through the forward on port {AcmeTenant.Port} within 10 s of its reload' >&2; exit 1; fi; sleep 0.1; done");
}
