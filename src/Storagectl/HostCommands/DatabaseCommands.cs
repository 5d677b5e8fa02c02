using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// The service binary's admin verbs, run on the host in shared/ (where it reads .env): check-config, backup, migrate.
/// <paramref name="release"/> is the release whose binary runs.
/// </summary>
public static class DatabaseCommands
{
    public static string CheckConfig(TenantPaths paths, string release, string executable) => InShared(paths, $"{Binary(paths, release, executable)} check-config");

    public static string Backup(TenantPaths paths, string release, string executable, string backupFile) =>
        InShared(paths, $"{Binary(paths, release, executable)} backup {Shell.Quote(backupFile)}");

    public static string Migrate(TenantPaths paths, string release, string executable) => InShared(paths, $"{Binary(paths, release, executable)} migrate");

    /// <summary>Database copies taken before deploys, as many as releases are kept: the newest first, the rest deleted.</summary>
    public static string PruneBackups(TenantPaths paths, int kept) =>
        $"cd {Shell.Quote(paths.Backups)} && ls -1t -- *-before-*.db 2>/dev/null | tail -n +{kept + 1} | while IFS= read -r old; do rm -f -- \"$old\"; done";

    /// <summary>An online backup by the running release into a private temp folder on the host, streamed to stdout, then removed.</summary>
    public static string BackupToStdout(TenantPaths paths, string executable) => $$"""
        set -e
        cd {{Shell.Quote(paths.Shared)}}
        work=$(mktemp -d {{Shell.Quote(paths.Backups)}}/.checklist.XXXXXX)
        trap 'rm -rf "$work"' EXIT
        {{Shell.Quote(paths.Current + "/" + executable)}} backup "$work/copy.db" >&2
        cat "$work/copy.db"
        """;

    /// <summary>The service binary of <paramref name="release"/>, quoted: every host command that runs a service verb names it so.</summary>
    public static string Binary(TenantPaths paths, string release, string executable) => Shell.Quote(paths.Release(release) + "/" + executable);

    /// <summary>Commands run in shared/, where the service reads .env: the one way a service verb runs on a host.</summary>
    public static string InShared(TenantPaths paths, params string[] commands) => Shell.All([$"cd {Shell.Quote(paths.Shared)}", .. commands]);

    /// <summary><c>storage-api &lt;arguments&gt;</c> with <paramref name="release"/>'s binary, in shared/.</summary>
    public static string Verb(TenantPaths paths, string release, string executable, string arguments) =>
        InShared(paths, $"{Binary(paths, release, executable)} {arguments}");
}
