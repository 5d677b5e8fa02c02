using Storagectl.HostCommands;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class HistoryCommandsTests
{
    [Fact]
    public void Append_adds_stdin_to_deploys_jsonl() =>
        HistoryCommands.Append(Acme).ShouldBe("mkdir -p /srv/storage/acme && cat >> /srv/storage/acme/deploys.jsonl");
}
