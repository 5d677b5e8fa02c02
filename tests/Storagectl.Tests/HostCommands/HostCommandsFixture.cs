using Storagectl.Configuration;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.HostCommands;

/// <summary>The tenant and hosts the command tests build for: plain paths, and a root whose name the shell must be kept from splitting.</summary>
internal static class HostCommandsFixture
{
    public static readonly TenantPaths Acme = new("/srv/storage", "acme");
    public static readonly TenantPaths Spaced = new("/srv/my storage", "acme");
    public static readonly TenantConfig AcmeTenant = Config.Environment("production").Tenants["acme"];
    public static readonly HostConfig ProcessHost = Config.Hosts["web-1"];
    public static readonly HostConfig SystemdHost = ProcessHost with { ServiceManager = ServiceManager.Systemd };
}
