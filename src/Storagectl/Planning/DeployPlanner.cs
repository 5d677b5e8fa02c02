using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>What a deploy starts from: the shared plan context, the artifact, and where the secrets come from.</summary>
public sealed record DeployRequest(PlanContext Context, Artifact Artifact, SecretSource Secrets);

/// <summary>
/// Pure planning: config + artifact + host states -> the steps per tenant and host. Nothing here touches a host,
/// so plans are printed by `storagectl plan` and checked by tests exactly as `storagectl deploy` will run them.
/// </summary>
public static class DeployPlanner
{
    public static DeployPlan Plan(DeployRequest request) =>
        new(request.Context.Environment.Name, DeployPlan.Deploy, request.Artifact, request.Context.Who,
            request.Context.Rings((tenant, host) => PlanTarget(request, tenant, host)));

    /// <summary>The variables written to shared/.env: the tenant's env and secrets, plus where its data lives (always under shared/).</summary>
    public static SortedDictionary<string, string> EnvFile(TenantConfig tenant, TenantPaths paths, IReadOnlyDictionary<string, string> secrets)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["STORAGE_DATA_DIR"] = paths.Data,
            ["DATABASE_URL"] = "sqlite:///" + paths.Database,
        };
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

        var blocker = missing.Count > 0 ? $"secrets not set on this machine: {string.Join(", ", missing)}"
            : env.Values.Any(v => v.Contains('\n')) ? "a variable's value contains a line break"
            : Activation.LockBlocker(context, state);

        var release = paths.Release(version);
        var binary = $"{Shell.Quote(release)}/{config.Service.Executable}";
        var inShared = $"cd {Shell.Quote(paths.Shared)}";
        var backup = $"{paths.Backups}/{context.Now:yyyyMMddTHHmmssZ}-before-{version}.db";
        var migratedMarker = backup + ".migrated";
        var upload = $"{paths.Uploads}/{Path.GetFileName(request.Artifact.File)}";
        var isFirstDeploy = state.CurrentVersion is null;

        var prepare = new List<Step>([.. Activation.ProxyChecks(context, tenant, host, paths), .. Activation.LockSteps(context, paths, state, version)]);
        prepare.Add(new RunStep("create the folders",
            $"mkdir -p {string.Join(' ', new[] { paths.Releases, paths.Data, paths.Backups, paths.Logs, paths.Uploads, paths.Slots, paths.Root + "/run" }.Select(Shell.Quote))}" +
            $" && chmod 700 {Shell.Quote(paths.Shared)}"));
        prepare.Add(new UploadStep("upload the artifact", request.Artifact.File, upload, request.Artifact.Sha256)
            { Undo = $"rm -f {Shell.Quote(upload)} {Shell.Quote(upload)}.part" });
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

        var migrate = new RunStep("apply database migrations", MigrateScript(inShared, binary, isFirstDeploy ? null : migratedMarker))
            { Undo = isFirstDeploy ? null : RestoreScript(inShared, binary, backup, migratedMarker) };
        var phases = Activation.Activate(config, tenant, host, paths, state, version, migrate);
        prepare.AddRange(phases.Prepare);
        var finish = new List<Step>(phases.Finish);
        var prune = PruneScript(paths, state, version, config.ReleasesKept);
        if (prune is not null) finish.Add(new RunStep($"keep the newest {config.ReleasesKept} releases", prune));

        return new TargetPlan(tenant, host, paths, state.CurrentVersion, version, request.Artifact.Commit, changes, prepare, phases.Switch, finish,
            blocker, Activation.ReleaseLockScript(paths, context.LockToken)) { PendingMigrations = PendingMigrations(request.Artifact, state) };
    }

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

    private static string UnpackScript(TenantPaths paths, string version, string upload)
    {
        var release = Shell.Quote(paths.Release(version));
        var partial = Shell.Quote($"{paths.Releases}/.{version}.partial");
        return $$"""
            set -e
            manifest=$(cat)
            if [ ! -d {{release}} ]; then
              rm -rf {{partial}} && mkdir -p {{partial}}
              tar -xzf {{Shell.Quote(upload)}} -C {{partial}}
              printf '%s\n' "$manifest" > {{partial}}/{{TenantPaths.ManifestFile}}
              mv -T {{partial}} {{release}}
            fi
            rm -f {{Shell.Quote(upload)}}
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

    /// <summary>Marks the backup as needed before migrating, so a migration that fails half-way is restored too.</summary>
    private static string MigrateScript(string inShared, string binary, string? marker) => marker is null
        ? Shell.All(inShared, $"{binary} migrate")
        : Shell.All(inShared, $"if [ -n \"$({binary} migrate --pending)\" ]; then touch {Shell.Quote(marker)}; fi", $"{binary} migrate");

    private static string RestoreScript(string inShared, string binary, string backup, string marker) =>
        Shell.All(inShared, $"if [ -f {Shell.Quote(marker)} ]; then {binary} restore {Shell.Quote(backup)} && rm -f {Shell.Quote(marker)}; fi");

    /// <summary>Deletes the oldest releases beyond the kept number, never the new one or the one running now.</summary>
    private static string? PruneScript(TenantPaths paths, HostState state, string version, int kept)
    {
        var newestFirst = state.Releases.Where(r => r != version).Prepend(version).ToList();
        var doomed = newestFirst.Skip(kept).Where(r => r != state.CurrentVersion).ToList();
        return doomed.Count == 0 ? null : $"rm -rf {string.Join(' ', doomed.Select(r => Shell.Quote(paths.Release(r))))}";
    }
}
