using Storagectl.HostCommands;
using static Storagectl.Tests.HostCommands.HostCommandsFixture;

namespace Storagectl.Tests.HostCommands;

public sealed class FolderCommandsTests
{
    [Fact]
    public void Create_makes_every_tenant_folder_and_keeps_shared_private() =>
        FolderCommands.Create(Acme).ShouldBe(
            "mkdir -p /srv/storage/acme/releases /srv/storage/acme/shared/data /srv/storage/acme/shared/backups /srv/storage/acme/shared/logs " +
            "/srv/storage/acme/uploads /srv/storage/acme/slots /srv/storage/acme/run && chmod 700 /srv/storage/acme/shared");

    [Fact]
    public void Create_quotes_a_root_with_a_space() =>
        FolderCommands.Create(Spaced).ShouldEndWith("'/srv/my storage/acme/run' && chmod 700 '/srv/my storage/acme/shared'");
}
