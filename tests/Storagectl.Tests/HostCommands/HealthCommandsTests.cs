using Storagectl.HostCommands;
using Storagectl.Planning;

namespace Storagectl.Tests.HostCommands;

public sealed class HealthCommandsTests
{
    [Fact]
    public void Get_prints_the_body_and_then_the_status() =>
        HealthCommands.Get(8200, "/health", 5).ShouldBe("curl -sS -m 5 -w '\\n%{http_code}' http://127.0.0.1:8200/health");

    [Fact]
    public void The_path_is_quoted_like_every_other_value()
    {
        HealthCommands.Get(8200, "/health?full=1&x=$(id)", 5).ShouldBe("curl -sS -m 5 -w '\\n%{http_code}' 'http://127.0.0.1:8200/health?full=1&x=$(id)'");
        HealthCommands.WaitReady(8200, "/ready now", new HealthPolling(5, 30, 1)).ShouldContain(" 'http://127.0.0.1:8200/ready now'; do ");
    }

    [Fact]
    public void WaitReady_tries_as_often_as_the_polling_says() =>
        HealthCommands.WaitReady(8201, "/health", new HealthPolling(TimeoutSeconds: 5, Retries: 30, IntervalSeconds: 2)).ShouldBe(
            "i=0; until curl -fsS -m 5 -o /dev/null http://127.0.0.1:8201/health; do i=$((i + 1)); [ $i -ge 30 ] && exit 1; sleep 2; done");
}
