using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// The service's tenant and key verbs, run on the host in shared/ (where .env is) with a release's binary, as
/// <see cref="DatabaseCommands"/> runs migrate. Both are safe to run again: a second run finds what the first made.
/// </summary>
public static class TenantAdminCommands
{
    /// <summary>Creates the tenant in the instance's database unless it is there already.</summary>
    public static string CreateTenant(TenantPaths paths, string release, string executable, string tenant, string name)
    {
        var binary = DatabaseCommands.Binary(paths, release, executable);
        return $$"""
            set -e
            cd {{Shell.Quote(paths.Shared)}}
            if {{binary}} tenants list | cut -f1 | grep -qx -- {{Shell.Quote(tenant)}}; then
              echo "tenant {{tenant}} exists already"
            else
              {{binary}} tenants create {{Shell.Quote(tenant)}} --name {{Shell.Quote(name)}}
            fi
            """;
    }

    /// <summary>
    /// Creates a key and prints it (its only line on stdout, shown once) unless the tenant has an active key already;
    /// then it prints nothing, and says so on stderr.
    /// </summary>
    public static string CreateFirstKey(TenantPaths paths, string release, string executable, string tenant, string keyName)
    {
        var binary = DatabaseCommands.Binary(paths, release, executable);
        return $$"""
            set -e
            cd {{Shell.Quote(paths.Shared)}}
            if {{binary}} keys list {{Shell.Quote(tenant)}} | grep -q "$(printf '\tactive')\$"; then
              echo "tenant {{tenant}} has an active key already; no first key was made" >&2
              exit 0
            fi
            {{binary}} keys create {{Shell.Quote(tenant)}} --name {{Shell.Quote(keyName)}}
            """;
    }

    /// <summary>Prints "exists" when the tenant's folder is on the host.</summary>
    public static string FolderExists(TenantPaths paths) => $"[ -e {Shell.Quote(paths.Root)} ] && echo exists || true";

}
