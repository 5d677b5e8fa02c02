using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// The releases/ folder and the links into it: <c>current</c> and each slot's release. Links change by renaming a fresh
/// link over the old one, so a reader never finds none.
/// </summary>
public static class ReleaseFolderCommands
{
    /// <summary>
    /// Unpacks the upload into releases/&lt;version&gt; with the manifest (given on stdin) beside it, unless that release is
    /// already there. A failed unpack removes the half-written folder and the upload (both hold disk the running release
    /// needs), and prints the line that says why last, where the step's reason is read: tar's own last line only says it
    /// failed. A short write ("Wrote only 9216 of 10240 bytes") names no cause, so a disk left full is named beside it.
    /// </summary>
    public static string Unpack(TenantPaths paths, string version, string upload)
    {
        var release = Shell.Quote(paths.Release(version));
        var partial = Shell.Quote($"{paths.Releases}/.{version}.partial");
        var tarball = Shell.Quote(upload);
        return $$"""
            set -e
            manifest=$(cat)
            if [ ! -d {{release}} ]; then
              rm -rf {{partial}} && mkdir -p {{partial}}
              clean_up() { rm -rf {{partial}} {{tarball}}; }
              trap clean_up EXIT
              if ! errors=$(tar -xzf {{tarball}} -C {{partial}} 2>&1); then
                printf '%s\n' "$errors" | head -n 20 >&2
                why=$(printf '%s\n' "$errors" | grep -m 1 'No space left on device' || printf '%s\n' "$errors" | grep -v -e 'Exiting with failure status' -e '^$' | head -n 1)
                free=$(df -Pk {{partial}} | awk 'NR == 2 { print $4 }')
                case "$why" in *'No space left on device'*) ;; *) [ "${free:-0}" -ge 1024 ] || why="$why (No space left on device: ${free:-0} KiB free)";; esac
                printf 'unpacking failed: %s\n' "$why" >&2
                exit 1
              fi
              printf '%s\n' "$manifest" > {{partial}}/{{TenantPaths.ManifestFile}}
              mv -T {{partial}} {{release}}
              trap - EXIT
            fi
            rm -f {{tarball}}
            """;
    }

    /// <summary>Undoes <see cref="Unpack"/> unless <c>current</c> already points at the release.</summary>
    public static string RemoveUnlessCurrent(TenantPaths paths, string version) =>
        $"[ \"$(basename \"$(readlink {Shell.Quote(paths.Current)})\")\" = {Shell.Quote(version)} ] || rm -rf {Shell.Quote(paths.Release(version))}";

    /// <summary>Deletes the given releases (never called with the new one or the one running now).</summary>
    public static string Remove(TenantPaths paths, IEnumerable<string> versions) =>
        $"rm -rf {string.Join(' ', versions.Select(v => Shell.Quote(paths.Release(v))))}";

    public static string PointCurrent(TenantPaths paths, string version) => Relink($"releases/{version}", paths.Current);

    public static string RemoveCurrent(TenantPaths paths) => $"rm -f {Shell.Quote(paths.Current)}";

    /// <summary>The release the slot's service runs (slots/&lt;slot&gt; -> ../releases/&lt;version&gt;).</summary>
    public static string LinkSlot(TenantPaths paths, Slot slot, string version) => Relink($"../releases/{version}", paths.SlotRelease(slot));

    private static string Relink(string target, string link) => Shell.All(
        $"ln -sfn {Shell.Quote(target)} {Shell.Quote(link)}.next",
        $"mv -T {Shell.Quote(link)}.next {Shell.Quote(link)}");
}
