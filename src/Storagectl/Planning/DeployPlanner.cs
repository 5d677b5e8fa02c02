using DotEnv;
using StorageApi.Configuration;
using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Releases;

namespace Storagectl.Planning;

/// <summary>What a deploy starts from: the shared plan context, the artifact, and where the secrets come from.</summary>
public sealed record DeployRequest(PlanContext Context, Artifact Artifact, SecretSource Secrets, bool AllowDowngrade = false)
{
    /// <summary>The hosts do not run the tenant yet: provision them (folders, unit, nginx site) under the deploy's lock first.</summary>
    public bool Provision { get; init; }

    /// <summary>Steps that put data into the empty data folder and database before the migrations and the first start (a move's copy, a restore from backups).</summary>
    public IReadOnlyList<Step> BeforeMigrate { get; init; } = [];
}

/// <summary>
/// Pure planning: config + artifact + host states -> the steps per tenant and host. Nothing here touches a host,
/// so plans are printed by `storagectl plan` and checked by tests exactly as `storagectl deploy` will run them.
/// </summary>
public static class DeployPlanner
{
    public static DeployPlan Plan(DeployRequest request) =>
        new(request.Context.Environment.Name, request.Context.Kind, request.Artifact, request.Context.Who,
            request.Context.Rings((tenant, host) => PlanTarget(request, tenant, host)));

    /// <summary>
    /// The variables written to shared/.env: the tenant's env and secrets, its TENANT_ID (always: an instance serves
    /// its own tenant only, so a config cannot forget it), where its data lives (always under shared/), and the public
    /// address its signed links name, when the tenant declares one.
    /// </summary>
    public static SortedDictionary<string, string> EnvFile(TenantConfig tenant, TenantPaths paths, IReadOnlyDictionary<string, string> secrets)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [KnownVariables.TenantId] = tenant.Name, // by construction: an instance serves its own tenant only
            [KnownVariables.DataDirectory] = paths.Data,
            [KnownVariables.DatabaseUrl] = "sqlite:///" + paths.Database,
        };
        if (tenant.PublicUrl is { } publicUrl) env[KnownVariables.PublicBaseUrl] = publicUrl;
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

        var executable = config.Service.Executable;
        var backup = $"{paths.Backups}/{context.Now:yyyyMMddTHHmmssZ}-before-{version}.db";
        var upload = $"{paths.Uploads}/{Path.GetFileName(request.Artifact.File)}";
        var isFirstDeploy = state.CurrentVersion is null;

        // A host provisioned by this run has no site to check yet: the provision writes it under the lock.
        var prepare = new List<Step>(request.Provision
            ? [.. TenantLock.Steps(context, host, paths, state, version, context.Kind), .. ProvisionPlanner.HostSteps(context, tenant, host, paths)]
            : [.. Activation.ProxyChecks(context, tenant, host, paths), .. TenantLock.Steps(context, host, paths, state, version, context.Kind)]);
        prepare.Add(new RunStep("create the folders", FolderCommands.Create(paths)));
        prepare.Add(DiskSpaceCheck.Step(host, tenant, paths, request.Artifact));
        prepare.Add(new UploadStep("upload the artifact", request.Artifact.File, upload, request.Artifact.Sha256) { Undo = ArtifactCommands.Remove(upload) });
        prepare.Add(new RunStep($"unpack into releases/{version}", ReleaseFolderCommands.Unpack(paths, version, upload), request.Artifact.ManifestJson())
            { InputSummary = "the artifact's manifest", Undo = state.Releases.Contains(version) ? null : ReleaseFolderCommands.RemoveUnlessCurrent(paths, version) });
        prepare.AddRange(ModelSteps(request.Artifact, paths, state, version));
        prepare.Add(new RunStep("write shared/.env (0600)", EnvFileCommands.Write(paths), string.Concat(env.Select(e => DotEnvFormat.Line(e.Key, e.Value))))
        {
            Undo = state.EnvHashes.Count == 0 ? EnvFileCommands.Remove(paths) : EnvFileCommands.RestorePrevious(paths),
            InputSummary = $"{env.Count} variables, {secrets.Count} of them secret",
        });
        prepare.Add(new RunStep("check the configuration with the new binary", DatabaseCommands.CheckConfig(paths, version, executable)));
        if (!isFirstDeploy)
            prepare.Add(new RunStep("back up the database", DatabaseCommands.Backup(paths, version, executable, backup)));

        // Never undone by a restore: the running release accepts writes throughout, so a copy of the database put back
        // would delete them. Migrations only expand the schema (the previous release reads it) and each runs in a transaction.
        var migrate = new RunStep("apply database migrations", DatabaseCommands.Migrate(paths, version, executable))
        {
            KeptOnUndo = "the database keeps every migration that completed: migrations only expand the schema, so "
                + $"{state.CurrentVersion ?? "the previous release"} runs on it, and nothing written meanwhile is lost"
                + (isFirstDeploy ? "" : $"; the copy from before the deploy is {backup}"),
        };
        var probe = IsolationProbePlan.AfterSwitch(context, tenant, host, paths, version, Activation.NewActivePort(tenant, host, state));
        var phases = Activation.Activate(context, tenant, host, paths, state, version, migrate, probe);
        prepare.AddRange(Before(phases.Prepare, migrate, request.BeforeMigrate));
        var finish = new List<Step>(phases.Finish);
        var doomed = ReleasesToPrune(state, version, config.ReleasesKept);
        if (doomed.Count > 0) finish.Add(new RunStep($"keep the newest {config.ReleasesKept} releases", ReleaseFolderCommands.Remove(paths, doomed)));
        if (!isFirstDeploy) finish.Add(new RunStep($"keep the newest {config.ReleasesKept} database backups", DatabaseCommands.PruneBackups(paths, config.ReleasesKept)));

        return new TargetPlan(tenant, host, paths, state.CurrentVersion, version, request.Artifact.Commit, changes, prepare, Before(phases.Switch, migrate, request.BeforeMigrate), finish,
            blocker, TenantLockCommands.Release(paths, context.LockToken)) {
                PendingMigrations = PendingMigrations(request.Artifact, state),
                Sha256 = request.Artifact.IsBuilt ? request.Artifact.Sha256 : null,
                Secrets = request.Secrets.Origins(tenant),
                Why = downgrade ? $"a downgrade from {state.CurrentVersion}, allowed by --allow-downgrade" : null,
            };
    }

    /// <summary>
    /// The embedding model the release was built with, in place before the new binary checks its configuration: uploaded
    /// only when the host does not keep that bundle yet, then unpacked (once per host), verified and linked into the release.
    /// </summary>
    private static IEnumerable<Step> ModelSteps(Artifact artifact, TenantPaths paths, HostState state, string version)
    {
        if (artifact.Model is not { } model) yield break;
        // Into the host's models folder, not the tenant's: the model's bytes go where the model will live.
        var upload = paths.ModelUpload(model);
        if (!state.Models.Contains(model.Folder))
            yield return new UploadStep($"upload the model {model.Name} (once per host)", model.File, upload, model.Sha256) { Undo = ArtifactCommands.Remove(upload) };
        yield return new RunStep($"place the model in models/{model.Folder} and link it into releases/{version}", ModelCommands.PlaceAndLink(paths, version, model, upload));
    }

    /// <summary><paramref name="steps"/> with <paramref name="inserted"/> just before <paramref name="anchor"/>, when it is among them.</summary>
    private static IReadOnlyList<Step> Before(IReadOnlyList<Step> steps, Step anchor, IReadOnlyList<Step> inserted)
    {
        var at = steps.ToList().IndexOf(anchor);
        return at < 0 || inserted.Count == 0 ? steps : [.. steps.Take(at), .. inserted, .. steps.Skip(at)];
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
        // The probe hashes each line's text after '=' as written, quotes included: compare with the written form.
        var changes = next.Select(e => new EnvChange(e.Key,
            !currentHashes.TryGetValue(e.Key, out var hash) ? EnvChangeKind.Added
            : hash == HostState.HashValue(DotEnvFormat.Value(e.Value)) ? EnvChangeKind.Unchanged : EnvChangeKind.Changed,
            secrets.Contains(e.Key))).ToList();
        changes.AddRange(currentHashes.Keys.Where(k => !next.ContainsKey(k)).Select(k => new EnvChange(k, EnvChangeKind.Removed, false)));
        return changes;
    }

    /// <summary>The oldest releases beyond the kept number, never the new one or the one running now.</summary>
    private static IReadOnlyList<string> ReleasesToPrune(HostState state, string version, int kept)
    {
        var newestFirst = state.Releases.Where(r => r != version).Prepend(version).ToList();
        return [.. newestFirst.Skip(kept).Where(r => r != state.CurrentVersion)];
    }
}
