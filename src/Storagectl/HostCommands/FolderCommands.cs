using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>The tenant's folders on a host (see <see cref="TenantPaths"/>); shared/ is private to the service.</summary>
public static class FolderCommands
{
    public static string Create(TenantPaths paths) =>
        $"mkdir -p {string.Join(' ', paths.Folders.Select(Shell.Quote))} && chmod 700 {Shell.Quote(paths.Shared)}";
}
