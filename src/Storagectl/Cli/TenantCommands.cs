using System.CommandLine;

namespace Storagectl.Cli;

/// <summary>`storagectl tenant …`: a customer's lifecycle, each verb built on the deploy engine.</summary>
public static class TenantCommands
{
    public static Command Tenant() => new("tenant", "a tenant's lifecycle: restore from backups onto a host, remove")
    {
        TenantRestoreCommand.Restore(),
        TenantRemoveCommand.Remove(),
    };
}
