using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// The service's off-host backup verbs (backup-now, backups list, restore-from) and `verify`, run on the host in shared/
/// where .env is, like <see cref="DatabaseCommands"/>. The backup URL travels on stdin (it may be a secret), never in argv.
/// </summary>
public static class BackupCommands
{
    /// <summary>The variables a restore drill overrides to point into its scratch folder: the real environment wins over .env.</summary>
    public static readonly string[] ScratchVariables = ["DATABASE_URL", "STORAGE_DATA_DIR", "BLOB_STORE_URL"];

    /// <summary>Where a restore drill restores to: beside the live data, under the private shared/, removed when the drill ends.</summary>
    public static string DrillFolder(TenantPaths paths) => $"{paths.Shared}/restore-drill";

    /// <summary>`backup-now` with the current release's binary; prints the snapshot id, its time and its counts.</summary>
    public static string BackupNow(TenantPaths paths, string executable) => DatabaseCommands.InShared(paths, $"{Current(paths, executable)} backup-now");

    /// <summary>
    /// Step one of a drill: the live data's counts and digest (`verify`), a backup, and the live data again. When nothing
    /// changed meanwhile, the snapshot holds exactly that data, so the restored copy must have the same digest.
    /// </summary>
    public static string DrillBackup(TenantPaths paths, string executable)
    {
        var scratch = Shell.Quote(DrillFolder(paths));
        var binary = Current(paths, executable);
        return $$"""
            set -e
            cd {{Shell.Quote(paths.Shared)}}
            rm -rf {{scratch}} && mkdir -m 700 {{scratch}}
            {{binary}} verify > {{scratch}}/live-before.json
            {{binary}} backup-now | tee {{scratch}}/backup.txt
            {{binary}} verify > {{scratch}}/live-after.json
            """;
    }

    /// <summary>
    /// Step two: restores the snapshot step one took into the scratch folder (restore-from with DATABASE_URL,
    /// STORAGE_DATA_DIR and BLOB_STORE_URL pointing there, which win over .env), re-hashes every blob there
    /// (`verify --rehash`), compares the object count with the snapshot's and the digest with the live data's, and
    /// removes the scratch folder whatever happens. The backup URL comes on stdin.
    /// </summary>
    public static string DrillRestore(TenantPaths paths, string executable)
    {
        var scratch = DrillFolder(paths);
        var q = Shell.Quote(scratch);
        var binary = Current(paths, executable);
        var overrides = $"DATABASE_URL=sqlite:///{Shell.Quote(scratch + "/data/storage.db")} STORAGE_DATA_DIR={Shell.Quote(scratch + "/data")} BLOB_STORE_URL=file://{Shell.Quote(scratch + "/data/blobs")}";
        return $$"""
            set -e
            url=$(cat)
            cd {{Shell.Quote(paths.Shared)}}
            trap 'rm -rf {{q}}' EXIT
            field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$2"; }
            id=$(sed -n 's/^snapshot \([^ ]*\) taken .*/\1/p' {{q}}/backup.txt)
            at=$(sed -n 's/^snapshot [^ ]* taken \(.*\)$/\1/p' {{q}}/backup.txt)
            objects=$(sed -n 's/^objects \([0-9]*\),.*/\1/p' {{q}}/backup.txt)
            [ -n "$id" ] && [ -n "$at" ] || { echo "backup-now did not name the snapshot it took" >&2; exit 1; }
            mkdir -p {{q}}/data
            {{overrides}} {{binary}} restore-from "$url" --at "$at" > {{q}}/restore.txt
            {{overrides}} {{binary}} verify --rehash > {{q}}/restored.json
            restored=$(field objects {{q}}/restored.json)
            digest=$(field digest {{q}}/restored.json)
            bytes=$(field bytes {{q}}/restored.json)
            if [ "$restored" != "$objects" ]; then
              echo "restore drill: snapshot $id has $objects objects but $restored came back" >&2; exit 1
            fi
            before=$(field digest {{q}}/live-before.json)
            after=$(field digest {{q}}/live-after.json)
            if [ "$before" = "$after" ]; then
              [ "$digest" = "$before" ] || { echo "restore drill: snapshot $id restored digest $digest, the live data has $before" >&2; exit 1; }
              compared="digest ${digest%"${digest#????????????}"}… matches the live data"
            else
              compared="digest not compared: the live data changed while the backup ran"
            fi
            echo "restore drill: snapshot $id ($at) restored $restored objects, $bytes bytes, every blob re-hashed; $compared"
            """;
    }

    /// <summary>
    /// `backups list` where no tenant folder exists yet: with any release of the service found under the host's root, in a
    /// private temp folder whose .env (given on stdin: the tenant's variables and secrets) names the backups. Exit 3 when
    /// the host has no release to run.
    /// </summary>
    public static string ListSnapshots(string hostRoot, string executable) => $$"""
        set -e
        binary=""
        for candidate in {{Shell.Quote(hostRoot)}}/*/releases/*/{{Shell.Quote(executable)}}; do
          if [ -x "$candidate" ]; then binary=$candidate; break; fi
        done
        [ -n "$binary" ] || { echo {{Shell.Quote($"no release of {executable} under {hostRoot} to read the backups with")}} >&2; exit 3; }
        work=$(mktemp -d /tmp/storagectl-backups.XXXXXX)
        trap 'rm -rf "$work"' EXIT
        umask 077
        cat > "$work/.env"
        printf 'STORAGE_DATA_DIR=%s\nDATABASE_URL=sqlite:///%s\n' "$work/data" "$work/data/storage.db" >> "$work/.env"
        cd "$work"
        "$binary" backups list
        """;

    public const int NoReleaseExitCode = 3;

    /// <summary>Fills the empty data folder and database from the snapshot taken at <paramref name="takenAt"/> (ISO, exact); the URL on stdin.</summary>
    public static string RestoreFrom(TenantPaths paths, string release, string executable, string takenAt) =>
        DatabaseCommands.InShared(paths, $"url=$(cat)", $"{DatabaseCommands.Binary(paths, release, executable)} restore-from \"$url\" --at {Shell.Quote(takenAt)}");

    /// <summary>Undoes <see cref="RestoreFrom"/> on a new host: what it wrote is moved aside (never deleted), so a retry finds an empty folder.</summary>
    public static string MoveRestoreAside(TenantPaths paths, string stamp) =>
        $"cd {Shell.Quote(paths.Shared)} && if [ -d data ]; then mv data {Shell.Quote($"data.undone-{stamp}")} && mkdir -m 700 data; fi";

    /// <summary>Every blob read and re-hashed (`verify --rehash`); fails unless the restored object count is <paramref name="expectedObjects"/>.</summary>
    public static string VerifyRestored(TenantPaths paths, string release, string executable, long expectedObjects) => $$"""
        set -e
        cd {{Shell.Quote(paths.Shared)}}
        result=$({{DatabaseCommands.Binary(paths, release, executable)}} verify --rehash)
        objects=$(printf '%s' "$result" | sed -n 's/.*"objects":\([0-9]*\).*/\1/p')
        [ "$objects" = "{{expectedObjects}}" ] || { echo "the snapshot has {{expectedObjects}} objects but $objects were restored" >&2; exit 1; }
        echo "verified: $result"
        """;

    /// <summary>`verify --list` with the current release: one line per object, id, sha256 and size.</summary>
    public static string ListObjects(TenantPaths paths, string executable) => DatabaseCommands.InShared(paths, $"{Current(paths, executable)} verify --list");

    private static string Current(TenantPaths paths, string executable) => Shell.Quote(paths.Current + "/" + executable);
}
