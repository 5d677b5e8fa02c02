using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// The host side of `storagectl tenant move`: the service's write hold and verify, a database copy and the blob files
/// streamed out and in, and the nginx site that forwards the source's clients to the target. The service verbs run in
/// shared/ (where .env is) with the binary of <c>releases/&lt;version&gt;</c>, the release both hosts run.
/// </summary>
public static class MoveCommands
{
    /// <summary>The service's file store: data/blobs (blobs the service wrote while it staged them are in its .staging/).</summary>
    public static string Blobs(TenantPaths paths) => $"{paths.Data}/blobs";

    /// <summary>Where received blob files wait until the copy is known to be complete.</summary>
    public static string BlobStaging(TenantPaths paths) => $"{paths.Data}/.move-blobs";

    /// <summary>A received database copy, until its sha256 is checked and it is put in place.</summary>
    public static string DatabaseCopy(TenantPaths paths) => $"{paths.Backups}/.move-copy.db";

    /// <summary>The blob files the target has, kept on the source for the next step.</summary>
    public static string TargetHas(TenantPaths paths) => $"{paths.Root}/.move-target-has";

    public static string HoldWrites(TenantPaths paths, string version, string executable, string reason) =>
        DatabaseCommands.Verb(paths, version, executable, $"write-hold on --reason {Shell.Quote(reason)}");

    public static string ReleaseWrites(TenantPaths paths, string version, string executable) => DatabaseCommands.Verb(paths, version, executable, "write-hold off");

    public static string VerifyData(TenantPaths paths, string version, string executable, bool rehash) =>
        DatabaseCommands.Verb(paths, version, executable, rehash ? "verify --rehash" : "verify");

    /// <summary>
    /// A call of the running service's admin API on the host (127.0.0.1:<paramref name="port"/>, a slot's own port): the
    /// running process answers in milliseconds where a verb starts a process that builds the database model (about a
    /// second). The admin key comes on stdin as a header line (<see cref="AdminKeyHeader"/>, `curl -H @-`), never in argv;
    /// the body (no secret) in argv. Prints the response body; fails on any status but 2xx (the body, a problem, says why).
    /// </summary>
    public static string AdminCall(int port, string method, string path, string? jsonBody = null, int timeoutSeconds = AdminCallTimeoutSeconds) =>
        $"curl -sS --fail-with-body -m {timeoutSeconds} -X {method} -H @-" +
        (jsonBody is null ? "" : $" -H 'Content-Type: application/json' --data-raw {Shell.Quote(jsonBody)}") +
        $" {Shell.Quote(HealthCommands.Url(port, path))}";

    /// <summary>The stdin of <see cref="AdminCall"/>: the tenant's ADMIN_API_KEY as a header line.</summary>
    public static string AdminKeyHeader(string adminKey) => $"X-API-Key: {adminKey}\n";

    /// <summary>At most this long for one admin call (verify reads every row and lists every blob folder).</summary>
    public const int AdminCallTimeoutSeconds = 300;

    /// <summary>`PUT /v1/admin/write-hold`: as `write-hold on --reason`, on the running instance.</summary>
    public static string HoldWritesOver(int port, string reason) =>
        AdminCall(port, "PUT", "/v1/admin/write-hold", System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["reason"] = reason }));

    /// <summary>`DELETE /v1/admin/write-hold`: as `write-hold off`, on the running instance.</summary>
    public static string ReleaseWritesOver(int port) => AdminCall(port, "DELETE", "/v1/admin/write-hold");

    /// <summary>`GET /v1/admin/verify`: `storage-api verify`'s JSON (and the problems it names) from the running instance.</summary>
    public static string VerifyOver(int port) => AdminCall(port, "GET", "/v1/admin/verify");

    /// <summary>An online backup (consistent while the service writes) into a private temp folder, streamed to stdout, then removed.</summary>
    public static string SendDatabase(TenantPaths paths, string version, string executable) => $$"""
        set -e
        mkdir -p {{Shell.Quote(paths.Backups)}}
        work=$(mktemp -d {{Shell.Quote(paths.Backups)}}/.move.XXXXXX)
        trap 'rm -rf "$work"' EXIT
        cd {{Shell.Quote(paths.Shared)}}
        {{Shell.Quote(paths.Release(version) + "/" + executable)}} backup "$work/copy.db" >&2
        cat "$work/copy.db"
        """;

    public static string ReceiveDatabase(TenantPaths paths) => ArtifactCommands.Receive(DatabaseCopy(paths));

    /// <summary>Checks the copy's sha256 (stdin) and makes it the database of a target that does not run yet.</summary>
    public static string PlaceDatabase(TenantPaths paths) => Shell.Lines(
        CheckCopy(paths),
        $"rm -f {Shell.Quote(paths.Database)}-wal {Shell.Quote(paths.Database)}-shm",
        $"mv {Shell.Quote(DatabaseCopy(paths))} {Shell.Quote(paths.Database)}",
        $"chown --reference={Shell.Quote(paths.Data)} {Shell.Quote(paths.Database)}");

    /// <summary>Checks the copy's sha256 (stdin) and puts it into the running target's database in one step (`storage-api restore`).</summary>
    public static string RestoreDatabase(TenantPaths paths, string version, string executable) => Shell.Lines(
        CheckCopy(paths),
        "trap " + Shell.Quote($"rm -f {Shell.Quote(DatabaseCopy(paths))}") + " EXIT",
        DatabaseCommands.Verb(paths, version, executable, $"restore {Shell.Quote(DatabaseCopy(paths))} --discard-newer") + " >&2");

    /// <summary>Undoes a database copy on a target that had none: its database and what was received.</summary>
    public static string RemoveDatabase(TenantPaths paths)
    {
        var db = Shell.Quote(paths.Database);
        return $"rm -f {db} {db}-wal {db}-shm {Shell.Quote(DatabaseCopy(paths))} {Shell.Quote(ArtifactCommands.PartOf(DatabaseCopy(paths)))}";
    }

    private static string CheckCopy(TenantPaths paths)
    {
        var part = ArtifactCommands.PartOf(DatabaseCopy(paths));
        return $"read -r sha; echo \"$sha  {part}\" | sha256sum -c --quiet - >&2 || {{ echo 'the database copy does not match what was sent' >&2; exit 1; }}\n" +
               $"mv {Shell.Quote(part)} {Shell.Quote(DatabaseCopy(paths))}";
    }

    /// <summary>
    /// Every blob file as a tar stream (none while the store is empty). While the service serves, a file deleted under tar
    /// makes it exit 1 ("some files changed"): that copy is only the bulk, and the last copy under the write hold is strict.
    /// </summary>
    public static string SendAllBlobs(TenantPaths paths, bool strict) => $$"""
        set -o pipefail
        cd {{Shell.Quote(Blobs(paths))}} 2>/dev/null || exec tar -cf - -T /dev/null
        tar -cf - --exclude=./{{ObjectStoreStaging}} .
        status=$?
        [ $status -eq 0 ] {{(strict ? "" : "|| [ $status -eq 1 ]")}}
        """;

    /// <summary>The target's blob files, one relative path a line, sorted bytewise.</summary>
    public static string ListBlobs(TenantPaths paths) => $$"""
        set -o pipefail
        cd {{Shell.Quote(Blobs(paths))}} 2>/dev/null || exit 0
        find . -path ./{{ObjectStoreStaging}} -prune -o -type f -print | LC_ALL=C sort
        """;

    public static string KeepTargetList(TenantPaths paths) => $"cat > {Shell.Quote(TargetHas(paths))}";

    /// <summary>The blob files the target lacks (its list kept by <see cref="KeepTargetList"/>), as a tar stream; the list is removed.</summary>
    public static string SendMissingBlobs(TenantPaths paths) => $$"""
        set -e -o pipefail
        have={{Shell.Quote(TargetHas(paths))}}
        trap 'rm -f "$have"' EXIT
        cd {{Shell.Quote(Blobs(paths))}} 2>/dev/null || { rm -f "$have"; exec tar -cf - -T /dev/null; }
        find . -path ./{{ObjectStoreStaging}} -prune -o -type f -print | LC_ALL=C sort | LC_ALL=C comm -23 - "$have" | tar -cf - -T -
        """;

    /// <summary>Unpacks the stream into a staging folder beside the store; nothing reaches the store before the copy is complete.</summary>
    public static string ReceiveBlobs(TenantPaths paths)
    {
        var staging = Shell.Quote(BlobStaging(paths));
        return $"rm -rf {staging} && mkdir -p {staging} && tar -xf - -C {staging} --no-same-owner";
    }

    /// <summary>Moves the staged files into the store (hard links, then the staging folder goes): a rename when the store is new.</summary>
    public static string PlaceBlobs(TenantPaths paths)
    {
        var (staging, blobs) = (Shell.Quote(BlobStaging(paths)), Shell.Quote(Blobs(paths)));
        return Shell.Lines(
            "cat > /dev/null",
            $"chown -R --reference={Shell.Quote(paths.Data)} {staging}",
            $"if [ -d {blobs} ]; then cp -rlf {staging}/. {blobs}/ && rm -rf {staging}; else mv -T {staging} {blobs}; fi");
    }

    /// <summary>Undoes the blob copies on a target that had none.</summary>
    public static string RemoveBlobs(TenantPaths paths) => $"rm -rf {Shell.Quote(Blobs(paths))} {Shell.Quote(BlobStaging(paths))}";

    /// <summary>Refuses (<see cref="Step.RefusedExitCode"/>) when the target already holds a database or blobs for the tenant.</summary>
    public static string RequireNoData(TenantPaths paths, string host)
    {
        var message = $"{host} already has data for {paths.Tenant} in {paths.Data}; a move needs a host without it (move that folder aside first)";
        return $"if [ -e {Shell.Quote(paths.Database)} ] || [ -d {Shell.Quote(Blobs(paths))} ]; then echo {Shell.Quote(message)} >&2; exit {Step.RefusedExitCode}; fi";
    }

    /// <summary>A note in the source's tenant folder saying where the tenant went and what this folder still is (stdin).</summary>
    public static string LeaveNote(TenantPaths paths) => $"cat > {Shell.Quote(paths.Root + "/MOVED")}";

    private const string ObjectStoreStaging = ".staging";
}
