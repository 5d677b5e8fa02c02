using Storagectl.Configuration;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>What a move starts from: the context (states of the tenant on its host and on the target), the artifact the source runs, and the target's listening ports.</summary>
public sealed record MoveRequest(PlanContext Context, string Tenant, string To, Artifact Artifact, SecretSource Secrets, IReadOnlySet<int> ListeningOnTarget, bool KeepSource = false);

/// <summary>
/// A move as one target plan (the tenant on the target host) whose steps also run on the source (<see cref="Step.On"/>),
/// and what the operator is told: the ports the tenant gets, the hold window's steps, the DNS change, where the source's data stays.
/// </summary>
public sealed record MovePlan(DeployPlan Plan, TenantConfig Tenant, TenantConfig Moved, HostConfig Source, HostConfig Target, string Version,
    Step HoldStarts, Step HoldEnds, IReadOnlyList<string> Notes)
{
    public TargetPlan Steps => Plan.Targets.Single();

    /// <summary>The steps from the source's write hold to the forward that ends it, in order.</summary>
    public IReadOnlyList<Step> HoldWindow => [.. Steps.Switch.SkipWhile(s => s != HoldStarts)];
}

/// <summary>
/// `storagectl tenant move`: the same release (same artifact) deployed on the target by the deploy and provision
/// planners on a config where the tenant sits there, seeded with a database copy and the blob files while the source
/// serves; then the write hold on the source, the last changes, a verify on both hosts, and the source's nginx site
/// rewritten to forward to the target. Any failure before that forward puts everything back: the source serves and
/// takes writes again, the target is stopped and its copy removed. After it, nothing is undone.
/// </summary>
public static class MovePlanner
{
    public const int DrainTimeoutSeconds = 30;
    public const int DrainIntervalMilliseconds = 50;

    public static MovePlan Plan(MoveRequest request)
    {
        var context = request.Context;
        var (config, environment) = (context.Config, context.Environment);
        if (!environment.Tenants.TryGetValue(request.Tenant, out var tenant))
            throw new ConfigException($"{environment.Name} has no tenant '{request.Tenant}' (known: {string.Join(", ", environment.Tenants.Keys)})");
        if (!config.Hosts.TryGetValue(request.To, out var target))
            throw new ConfigException($"{config.SourceFile}: no host '{request.To}' (known: {string.Join(", ", config.Hosts.Keys)})");
        if (tenant.Hosts.Count != 1)
            throw new ConfigException($"{tenant.Name} runs on {string.Join(", ", tenant.Hosts)}: a move takes a tenant from its one host to another");
        var source = config.Hosts[tenant.Hosts[0]];
        if (source.Name == target.Name) throw new ConfigException($"{tenant.Name} already runs on {target.Name}");

        var sourceState = context.StateOf(tenant, source);
        var targetState = context.StateOf(tenant, target);
        var version = sourceState.CurrentVersion ?? request.Artifact.Version;
        var (port, slotPorts) = PortChoice.On(target, tenant, config, request.ListeningOnTarget);
        var moved = tenant with { Hosts = [target.Name], Port = port, SlotPorts = slotPorts };
        var movedEnvironment = environment with { Tenants = new Dictionary<string, TenantConfig>(environment.Tenants) { [tenant.Name] = moved } };
        var movedConfig = config with { Environments = new Dictionary<string, EnvironmentConfig>(config.Environments) { [environment.Name] = movedEnvironment } };
        var there = context with { Config = movedConfig, Environment = movedEnvironment, OnlyTenant = tenant.Name };

        var (from, to) = (new TenantPaths(source.Root, tenant.Name), new TenantPaths(target.Root, tenant.Name));
        var executable = config.Service.Executable;
        var copiesBlobs = CopiesBlobFiles(tenant);

        // Seeded before the target's first start, so it starts with the source's instance id (the blob store's owner marker agrees).
        var seed = new List<Step>
        {
            new PipeStep($"copy the database from {source.Name} (an online backup; {source.Name} keeps serving)", source,
                MoveCommands.SendDatabase(from, version, executable), MoveCommands.ReceiveDatabase(to), MoveCommands.PlaceDatabase(to)) { Undo = MoveCommands.RemoveDatabase(to) },
        };
        if (copiesBlobs)
            seed.Add(new PipeStep($"copy the blob files from {source.Name}", source,
                MoveCommands.SendAllBlobs(from, strict: false), MoveCommands.ReceiveBlobs(to), MoveCommands.PlaceBlobs(to)) { Undo = MoveCommands.RemoveBlobs(to) });
        seed.Add(new RunStep($"hold writes on {target.Name} until the switch",
            MoveCommands.HoldWrites(to, version, executable, $"receiving {tenant.Name} from {source.Name}; writes open at the switch")));

        var deploy = DeployPlanner.Plan(new DeployRequest(there, request.Artifact, request.Secrets) { BeforeMigrate = seed }).Targets.Single();
        var provision = ProvisionPlanner.Plan(there, target.Name).Targets.Single();
        var notOurLocks = TenantLock.Steps(there, target, to, targetState, version, DeployPlan.Deploy)
            .Concat(TenantLock.Steps(there, target, to, targetState, targetState.CurrentVersion ?? "(none)", DeployPlan.Provision)).ToHashSet();

        var prepare = new List<Step>();
        prepare.AddRange(TenantLock.Steps(context, source, from, sourceState, version, DeployPlan.Move).Select(s => s with { On = source, Title = $"{source.Name}: {s.Title}" }));
        prepare.AddRange(TenantLock.Steps(there, target, to, targetState, version, DeployPlan.Move));
        prepare.Add(new RunStep($"check that {target.Name} has no data for {tenant.Name}", MoveCommands.RequireNoData(to, target.Name)) { RefusesRun = true });
        prepare.Add(new RunStep($"check that ports {string.Join(", ", slotPorts.Prepend(port))} are free on {target.Name}",
            PortCommands.RequireFree(slotPorts.Prepend(port), target.Name)) { RefusesRun = true });
        prepare.AddRange(provision.Prepare.Where(s => !notOurLocks.Contains(s)));
        prepare.AddRange(deploy.Prepare.Where(s => !notOurLocks.Contains(s)));
        prepare.AddRange(deploy.Switch);

        var targetUrl = $"http://{target.ForwardAddress}:{port}";
        // Inside the hold window the service is asked over its admin API on each host's active slot (the running process
        // answers in milliseconds; a verb starts one that builds the database model, about a second each). The restore stays
        // a verb: it replaces the database file under the running instance. Undo lifts the hold with the verb, which works
        // whether or not the source's service answers.
        var (sourcePort, targetPort) = (Activation.ActivePort(tenant, source, sourceState), Activation.NewActivePort(moved, target, targetState));
        var adminKey = request.Secrets.Resolve(tenant).Values.GetValueOrDefault(StorageApi.Configuration.KnownVariables.AdminApiKey);
        var keyHeader = MoveCommands.AdminKeyHeader(adminKey ?? "");
        var keySummary = $"X-API-Key: {tenant.Name}'s ADMIN_API_KEY";
        var hold = new RunStep($"{source.Name}: hold writes (503 with Retry-After; reads go on)", MoveCommands.HoldWritesOver(sourcePort, $"moving to {target.Name}"), keyHeader)
            { On = source, Undo = MoveCommands.ReleaseWrites(from, version, executable), InputSummary = keySummary };
        var forward = new RunStep($"{source.Name}: forward {tenant.Name}'s clients to {targetUrl}", ForwardCommands.Write(source, tenant, targetUrl),
            ForwardCommands.Site(tenant, $"tenant move: {tenant.Name} moved to {target.Name} on {context.Now:u}", targetUrl))
            { On = source, Undo = ProxyCommands.RestoreSite(source, tenant), Commits = true, InputSummary = $"an nginx site that proxies port {tenant.Port} to {targetUrl}" };
        var switching = new List<Step>
        {
            hold,
            new WriteDrainStep($"{source.Name}: wait until no write is in flight", SlotPortsRunning(tenant, source, sourceState), config.Health.Path,
                DrainTimeoutSeconds, DrainIntervalMilliseconds) { On = source },
        };
        var lastDatabase = new PipeStep($"copy the last changes of the database from {source.Name}", source,
            MoveCommands.SendDatabase(from, version, executable), MoveCommands.ReceiveDatabase(to), MoveCommands.RestoreDatabase(to, version, executable));
        // The blob files and the database are different files moved by different commands: both copies run at once.
        switching.Add(copiesBlobs
            ? new TogetherStep($"copy the last changes of the database and the blob files {target.Name} lacks from {source.Name}", [
                [lastDatabase],
                [
                    new PipeStep($"{source.Name}: learn which blob files {target.Name} has", target, MoveCommands.ListBlobs(to), MoveCommands.KeepTargetList(from), null) { On = source },
                    new PipeStep($"copy the blob files {target.Name} lacks", source, MoveCommands.SendMissingBlobs(from), MoveCommands.ReceiveBlobs(to), MoveCommands.PlaceBlobs(to)),
                ]]) { ReportsOutput = true }
            : lastDatabase);
        switching.Add(new VerifyMatchStep($"verify counts and digests on {source.Name} and {target.Name}", source,
            MoveCommands.VerifyOver(sourcePort), MoveCommands.VerifyOver(targetPort), keyHeader) { ReportsOutput = true, InputSummary = keySummary });
        switching.Add(new RunStep($"open writes on {target.Name}", MoveCommands.ReleaseWritesOver(targetPort), keyHeader) { InputSummary = keySummary });
        switching.Add(forward);

        var finish = new List<Step>
        {
            new RunStep($"check every blob's sha256 on {target.Name}", MoveCommands.VerifyData(to, version, executable, rehash: true)) { ReportsOutput = true },
        };
        if (!request.KeepSource)
            finish.Add(new RunStep($"{source.Name}: stop {tenant.Name}'s slots once requests in flight are done", Shell.Lines(
                    [WarmSlotCommands.Forget(from), .. sourceState.RunningSlots.Select(slot => ServiceCommands.DrainAndStop(source, from, slot, config.Health.DrainSeconds))]))
                { On = source });
        finish.Add(new RunStep($"{source.Name}: leave a note in {from.Root}/MOVED", MoveCommands.LeaveNote(from),
            SourceNote(tenant, source, target, from, targetUrl, context.Now, request.KeepSource)) { On = source, InputSummary = "where the tenant went" });
        finish.AddRange(deploy.Finish.Where(s => s is not BakeStep));

        var blocker = Blocker(request, tenant, source, target, sourceState, targetState) ?? deploy.Blocker ?? provision.Blocker;
        var plan = new TargetPlan(moved, target, to, targetState.CurrentVersion, version, request.Artifact.Commit, deploy.EnvChanges, prepare, switching, finish,
            blocker, TenantLockCommands.Release(to, context.LockToken))
        {
            Peers = [new TargetPeer(source, from, TenantLockCommands.Release(from, context.LockToken))],
            Sha256 = deploy.Sha256,
            Secrets = deploy.Secrets,
            Why = $"moved from {source.Name}",
        };
        return new MovePlan(new DeployPlan(environment.Name, DeployPlan.Move, request.Artifact, context.Who, [new RingPlan(1, [plan])]),
            tenant, moved, source, target, version, hold, forward, Notes(tenant, moved, source, target, from, request.KeepSource));
    }

    /// <summary>A file store (the default, data/blobs) is copied; with an S3 store both hosts reach the same bucket, so only the database moves.</summary>
    public static bool CopiesBlobFiles(TenantConfig tenant) =>
        tenant.Env.GetValueOrDefault(StorageApi.Configuration.KnownVariables.BlobStoreUrl) is null or "file:";

    private static string? Blocker(MoveRequest request, TenantConfig tenant, HostConfig source, HostConfig target, HostState sourceState, HostState targetState)
    {
        var artifact = request.Artifact;
        var context = request.Context;
        if (sourceState.CurrentVersion is not { } version) return $"{tenant.Name} runs no release on {source.Name}: there is nothing to move";
        if (sourceState.RunningSlots.Count == 0) return $"{tenant.Name}'s service is not running on {source.Name}; start it (deploy or rollback) before moving";
        if (!sourceState.Manifests.TryGetValue(version, out var running) || string.IsNullOrEmpty(running.Sha256))
            return $"{source.Name} keeps no release.json for {version}, so the artifact cannot be checked against it";
        if (artifact.Version != version || !Artifact.SameBytes(artifact.Sha256, running.Sha256))
            return $"{source.Name} runs {running.Service} {version} (sha256 {running.Sha256}); {Path.GetFileName(artifact.File)} is {artifact.Version} (sha256 {artifact.Sha256}): " +
                   "a move deploys that very build, never a new one (give it with --artifact)";
        if (targetState.CurrentVersion is { } there)
            return $"{target.Name} already runs {tenant.Name} ({there}, in {target.Root}/{tenant.Name}); a move needs a host without it";
        if (source.Proxy != ProxyKind.Nginx) return $"{source.Name} has no nginx to forward {tenant.Name}'s clients to {target.Name}";
        if (!tenant.Secrets.ContainsKey(StorageApi.Configuration.KnownVariables.AdminApiKey))
            return $"{tenant.Name} has no ADMIN_API_KEY among its secrets: a move asks the service's admin API to hold writes and verify";
        if (tenant.Env.ContainsKey(StorageApi.Configuration.KnownVariables.DatabaseUrl))
            return $"{tenant.Name} sets its own DATABASE_URL: a move copies the SQLite database under shared/data only";
        if (!CopiesBlobFiles(tenant) && tenant.Env[StorageApi.Configuration.KnownVariables.BlobStoreUrl].StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return $"{tenant.Name}'s BLOB_STORE_URL is a folder outside shared/data: a move copies data/blobs, or nothing with an S3 store";
        return TenantLock.Blocker(context, sourceState, tenant.Name) is { } locked ? $"{source.Name}: {locked}" : TenantLock.Blocker(context, targetState, tenant.Name);
    }

    /// <summary>The ports of the slots that run on the source (the write hold is in the database, so each of them honours it).</summary>
    private static IReadOnlyList<int> SlotPortsRunning(TenantConfig tenant, HostConfig host, HostState state) =>
        host.Strategy == DeployStrategy.Restart ? [tenant.Port]
        : [.. (state.RunningSlots.Count > 0 ? state.RunningSlots : state.ActiveSlot is { } active ? [active] : [Slot.Blue])
            .Select(slot => tenant.SlotPorts[slot == Slot.Blue ? 0 : 1])];

    private static string SourceNote(TenantConfig tenant, HostConfig source, HostConfig target, TenantPaths from, string targetUrl, DateTimeOffset when, bool keepSource) => $"""
        {tenant.Name} moved from {source.Name} to {target.Name} on {when:u} (storagectl tenant move).
        This folder is {source.Name}'s copy as of the move: the write hold keeps it read-only{(keepSource ? " and its service runs on (--keep-source)" : "; its service is stopped")}.
        The data is in {from.Data}; nothing here is deleted by storagectl.
        nginx on {source.Name} forwards port {tenant.Port} to {targetUrl} until DNS follows; then remove that site and reload nginx.

        """;

    private static IReadOnlyList<string> Notes(TenantConfig tenant, TenantConfig moved, HostConfig source, HostConfig target, TenantPaths from, bool keepSource)
    {
        var notes = new List<string>();
        if (tenant.PublicUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
            notes.Add($"DNS: point {uri.Host} at {target.Address} (now {source.Address}); until it follows, {source.Name}'s nginx forwards {tenant.Name}'s clients to {target.Name}");
        else
            notes.Add($"clients that call http://{source.Address}:{tenant.Port} reach {target.Name} through the forward; point them at http://{target.Address}:{moved.Port}");
        if (moved.Port != tenant.Port)
            notes.Add($"{tenant.Name} listens on port {moved.Port} on {target.Name} ({tenant.Port} is taken there): after DNS follows, clients need that port" +
                      (tenant.PublicUrl is null ? "" : " (or a proxy in front that keeps the public_url's)"));
        notes.Add($"{source.Name} keeps {tenant.Name}'s data as it was at the switch in {from.Data} (read-only: its write hold stays on){(keepSource ? "; its service runs on (--keep-source)" : "; its slots are stopped")}; remove it once you no longer need it");
        return notes;
    }
}
