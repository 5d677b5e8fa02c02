using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// The tenant's deploy lock on a host: a folder whose owner.json names the run that holds it. Which run may take or
/// break it is decided by <see cref="TenantLock"/>; these are the commands that do it.
/// </summary>
public static class TenantLockCommands
{
    /// <summary>
    /// Atomic: the owner file (given on stdin) is written into a fresh folder that is renamed onto the lock; rename
    /// fails if the lock exists. The refusal names the holder, never its token (which is what releases the lock).
    /// </summary>
    public static string Take(TenantPaths paths, string whatToDoWhenLocked)
    {
        var owner = Shell.Quote(paths.LockOwner);
        string Field(string name) => $"$(sed -n 's/.*\"{name}\":\"\\([^\"]*\\)\".*/\\1/p' {owner} 2>/dev/null)";
        return $$"""
            set -e
            mkdir -p {{Shell.Quote(paths.Root)}}
            candidate=$(mktemp -d {{Shell.Quote(paths.Root)}}/.lock.XXXXXX)
            cat > "$candidate/owner.json"
            if ! mv -T "$candidate" {{Shell.Quote(paths.Lock)}} 2>/dev/null; then
              rm -rf "$candidate"
              echo "locked by {{Field("who")}} since {{Field("since")}} for {{Field("version")}}; wait, or "{{Shell.Quote(whatToDoWhenLocked)}} >&2
              exit {{Step.RefusedExitCode}}
            fi
            """;
    }

    /// <summary>Releases the lock only if it is still ours.</summary>
    public static string Release(TenantPaths paths, string token) => $"{HeldBy(paths, token)} && rm -rf {Shell.Quote(paths.Lock)} || true";

    /// <summary>
    /// Removes the lock of the run with <paramref name="token"/> and appends the record given on stdin (that run, abandoned)
    /// to the history; refuses (<see cref="Step.RefusedExitCode"/>) when the lock has changed hands since it was read.
    /// Without a token (a lock whose owner file cannot be read) it removes whatever is there.
    /// </summary>
    public static string Break(TenantPaths paths, string? token)
    {
        var changedHands = token is null ? "false" : "! " + HeldBy(paths, token);
        return $$"""
            if {{changedHands}}; then
              echo "the lock changed hands while this run looked at it; look again with storagectl lock status" >&2
              exit {{Step.RefusedExitCode}}
            fi
            rm -rf {{Shell.Quote(paths.Lock)}}
            {{HistoryCommands.Append(paths)}}
            """;
    }

    /// <summary>Succeeds while the lock's owner file names the run with <paramref name="token"/>.</summary>
    private static string HeldBy(TenantPaths paths, string token) =>
        $"grep -q {Shell.Quote($"\"token\":\"{token}\"")} {Shell.Quote(paths.LockOwner)} 2>/dev/null";
}
