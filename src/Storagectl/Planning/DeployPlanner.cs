using Storagectl.Configuration;
using Storagectl.Releases;

namespace Storagectl.Planning;

/// <summary>What a deploy starts from: the shared plan context, the artifact, and where the secrets come from.</summary>
public sealed record DeployRequest(PlanContext Context, Artifact Artifact, SecretSource Secrets, bool AllowDowngrade = false);

/// <summary>
/// Pure planning: config + artifact + host states -> the steps per tenant and host. Nothing here touches a host,
/// so plans are printed by `storagectl plan` and checked by tests exactly as `storagectl deploy` will run them.
/// </summary>
public static class DeployPlanner
{
    public static DeployPlan Plan(DeployRequest request) =>
        new(request.Context.Environment.Name, DeployPlan.Deploy, request.Artifact, request.Context.Who,
            request.Context.Rings((tenant, host) => PlanTarget(request, tenant, host)));

    /// <summary>
    /// The variables written to shared/.env: the tenant's env and secrets, where its data lives (always under shared/),
    /// and the public address its signed links name, when the tenant declares one.
    /// </summary>
    public static SortedDictionary<string, string> EnvFile(TenantConfig tenant, TenantPaths paths, IReadOnlyDictionary<string, string> secrets)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["STORAGE_DATA_DIR"] = paths.Data,
            ["DATABASE_URL"] = "sqlite:///" + paths.Database,
        };
        if (tenant.PublicUrl is { } publicUrl) env[DeployConfigLoader.PublicBaseUrlVariable] = publicUrl;
        foreach (var (key, value) in tenant.Env) env[key] = value;
        foreach (var (key, value) in secrets) env[key] = value;
        return env;
    }

    private static TargetPlan PlanTarget(DeployRequest request, TenantConfig tenant, HostConfig host)
    {
        var context = request.Context;
        var config = context.Config;
        var version = request.Artifact.Version;
        var paths = new TenantPaths(host.Root, tenant.Name);
        var state = context.StateOf(tenant, host);
        var (secrets, missing) = request.Secrets.Resolve(tenant);
        var env = EnvFile(tenant, paths, secrets);
        var changes = CompareEnv(env, state.EnvHashes, tenant.Secrets.Keys);

        var downgrade = IsDowngrade(state.CurrentVersion, version);
        var blocker = missing.Count > 0 ? $"secrets not set on this machine: {string.Join(", ", missing)} (looked in {request.Secrets.SearchedPlaces})"
            : env.Values.Any(v => v.Contains('\n')) ? "a variable's value contains a line break"
            : downgrade && !request.AllowDowngrade
                ? $"{version} is older than {state.CurrentVersion}, which runs here: a downgrade needs --allow-downgrade (the database keeps {state.CurrentVersion}'s migrations)"
            : TenantLock.Blocker(context, state, tenant.Name);

        var release = paths.Release(version);
        var binary = $"{Shell.Quote(release)}/{config.Service.Executable}";
        var inShared = $"cd {Shell.Quote(paths.Shared)}";
        var backup = $"{paths.Backups}/{context.Now:yyyyMMddTHHmmssZ}-before-{version}.db";
        var upload = $"{paths.Uploads}/{Path.GetFileName(request.Artifact.File)}";
        var isFirstDeploy = state.CurrentVersion is null;

        var prepare = new List<Step>([.. Activation.ProxyChecks(context, tenant, host, paths), .. TenantLock.Steps(context, host, paths, state, version, DeployPlan.Deploy)]);
        prepare.Add(new RunStep("create the folders",
            $"mkdir -p {string.Join(' ', new[] { paths.Releases, paths.Data, paths.Backups, paths.Logs, paths.Uploads, paths.Slots, paths.Run }.Select(Shell.Quote))}" +
            $" && chmod 700 {Shell.Quote(paths.Shared)}"));
        prepare.Add(DiskSpaceCheck.Step(host, tenant, paths, request.Artifact));
        prepare.Add(new UploadStep("upload the artifact", request.Artifact.File, upload, request.Artifact.Sha256)
            { Undo = $"rm -f {Shell.Quote(upload)} {Shell.Quote(ArtifactUpload.PartOf(upload))}" });
        prepare.Add(new RunStep($"unpack into releases/{version}", UnpackScript(paths, version, upload), request.Artifact.ManifestJson())
            { InputSummary = "the artifact's manifest", Undo = state.Releases.Contains(version) ? null : $"[ \"$(basename \"$(readlink {Shell.Quote(paths.Current)})\")\" = {Shell.Quote(version)} ] || rm -rf {Shell.Quote(release)}" });
        prepare.Add(new RunStep("write shared/.env (0600)", WriteEnvScript(paths), string.Concat(env.Select(e => $"{e.Key}={e.Value}\n")))
        {
            Undo = state.EnvHashes.Count == 0
                ? $"rm -f {Shell.Quote(paths.EnvFile)}"
                : $"[ -f {Shell.Quote(paths.EnvFile)}.previous ] && mv {Shell.Quote(paths.EnvFile)}.previous {Shell.Quote(paths.EnvFile)} || true",
            InputSummary = $"{env.Count} variables, {secrets.Count} of them secret",
        });
        prepare.Add(new RunStep("check the configuration with the new binary", Shell.All(inShared, $"{binary} check-config")));
        if (!isFirstDeploy)
            prepare.Add(new RunStep("back up the database", Shell.All(inShared, $"{binary} backup {Shell.Quote(backup)}")));

        // Never undone by a restore: the running release accepts writes throughout, so a copy of the database put back
        // would delete them. Migrations only expand the schema (the previous release reads it) and each runs in a transaction.
        var migrate = new RunStep("apply database migrations", Shell.All(inShared, $"{binary} migrate"))
        {
            KeptOnUndo = "the database keeps every migration that completed: migrations only expand the schema, so "
                + $"{state.CurrentVersion ?? "the previous release"} runs on it, and nothing written meanwhile is lost"
                + (isFirstDeploy ? "" : $"; the copy from before the deploy is {backup}"),
        };
        var phases = Activation.Activate(config, tenant, host, paths, state, version, migrate);
        prepare.AddRange(phases.Prepare);
        var finish = new List<Step>(phases.Finish);
        var prune = PruneScript(paths, state, version, config.ReleasesKept);
        if (prune is not null) finish.Add(new RunStep($"keep the newest {config.ReleasesKept} releases", prune));
        if (!isFirstDeploy) finish.Add(new RunStep($"keep the newest {config.ReleasesKept} database backups", PruneBackupsScript(paths, config.ReleasesKept)));

        return new TargetPlan(tenant, host, paths, state.CurrentVersion, version, request.Artifact.Commit, changes, prepare, phases.Switch, finish,
            blocker, TenantLock.ReleaseScript(paths, context.LockToken)) {
                PendingMigrations = PendingMigrations(request.Artifact, state),
                Secrets = request.Secrets.Origins(tenant),
                Why = downgrade ? $"a downgrade from {state.CurrentVersion}, allowed by --allow-downgrade" : null,
            };
    }

    private static bool IsDowngrade(string? running, string version) =>
        running is not null && SemanticVersion.TryParse(running, out var from) && SemanticVersion.TryParse(version, out var to) && to < from;

    /// <summary>The artifact's migrations minus the running release's; everything on a first deploy; null when the running release has no manifest.</summary>
    private static IReadOnlyList<string>? PendingMigrations(Artifact artifact, HostState state)
    {
        var known = artifact.Migrations ?? [];
        if (state.CurrentVersion is null) return known;
        return state.Manifests.TryGetValue(state.CurrentVersion, out var running) && running.Migrations is { } applied
            ? [.. known.Except(applied)]
            : null;
    }

    private static IReadOnlyList<EnvChange> CompareEnv(IReadOnlyDictionary<string, string> next, IReadOnlyDictionary<string, string> currentHashes, IEnumerable<string> secretKeys)
    {
        var secrets = secretKeys.ToHashSet();
        var changes = next.Select(e => new EnvChange(e.Key,
            !currentHashes.TryGetValue(e.Key, out var hash) ? EnvChangeKind.Added
            : hash == HostState.HashValue(e.Value) ? EnvChangeKind.Unchanged : EnvChangeKind.Changed,
            secrets.Contains(e.Key))).ToList();
        changes.AddRange(currentHashes.Keys.Where(k => !next.ContainsKey(k)).Select(k => new EnvChange(k, EnvChangeKind.Removed, false)));
        return changes;
    }

    /// <summary>
    /// A failed unpack removes the half-written folder and the upload (both hold disk the running release needs), and
    /// prints the line that says why last, where the step's reason is read: tar's own last line only says it failed.
    /// A short write ("Wrote only 9216 of 10240 bytes") names no cause, so a disk left full is named beside it.
    /// </summary>
    private static string UnpackScript(TenantPaths paths, string version, string upload)
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

    private static string WriteEnvScript(TenantPaths paths)
    {
        var env = Shell.Quote(paths.EnvFile);
        return $$"""
            set -e
            umask 077
            cat > {{env}}.next
            if [ -f {{env}} ]; then cp -p {{env}} {{env}}.previous; fi
            mv {{env}}.next {{env}}
            chmod 600 {{env}}
            """;
    }

    /// <summary>Database copies taken before deploys, as many as releases are kept: the newest first, the rest deleted.</summary>
    private static string PruneBackupsScript(TenantPaths paths, int kept) =>
        $"cd {Shell.Quote(paths.Backups)} && ls -1t -- *-before-*.db 2>/dev/null | tail -n +{kept + 1} | while IFS= read -r old; do rm -f -- \"$old\"; done";

    /// <summary>Deletes the oldest releases beyond the kept number, never the new one or the one running now.</summary>
    private static string? PruneScript(TenantPaths paths, HostState state, string version, int kept)
    {
        var newestFirst = state.Releases.Where(r => r != version).Prepend(version).ToList();
        var doomed = newestFirst.Skip(kept).Where(r => r != state.CurrentVersion).ToList();
        return doomed.Count == 0 ? null : $"rm -rf {string.Join(' ', doomed.Select(r => Shell.Quote(paths.Release(r))))}";
    }
}
