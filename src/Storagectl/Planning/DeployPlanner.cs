using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>What a deploy starts from: the configuration, the artifact, what the hosts look like now, and who deploys.</summary>
public sealed record DeployRequest(
    DeployConfig Config, EnvironmentConfig Environment, Artifact Artifact,
    IReadOnlyDictionary<(string Tenant, string Host), HostState> States, SecretSource Secrets,
    string Who, DateTimeOffset Now, string LockToken, string? OnlyTenant = null);

/// <summary>
/// Pure planning: config + artifact + host states -> the steps per tenant and host. Nothing here touches a host,
/// so plans are printed by `storagectl plan` and checked by tests exactly as `storagectl deploy` will run them.
/// </summary>
public static class DeployPlanner
{
    public static DeployPlan Plan(DeployRequest request)
    {
        var environment = request.Environment;
        if (request.OnlyTenant is { } only && !environment.Tenants.ContainsKey(only))
            throw new ConfigException($"{environment.Name} has no tenant '{only}' (known: {string.Join(", ", environment.Tenants.Keys)})");
        var rings = new List<RingPlan>();
        foreach (var ring in environment.Rings)
        {
            var targets = ring.Where(t => request.OnlyTenant is null || t == request.OnlyTenant)
                .SelectMany(t => environment.Tenants[t].Hosts.Select(h => PlanTarget(request, environment.Tenants[t], request.Config.Hosts[h])))
                .ToList();
            if (targets.Count > 0) rings.Add(new RingPlan(rings.Count + 1, targets));
        }
        return new DeployPlan(environment.Name, request.Artifact, request.Who, rings);
    }

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
        var config = request.Config;
        var version = request.Artifact.Version;
        var paths = new TenantPaths(host.Root, tenant.Name);
        var state = request.States.TryGetValue((tenant.Name, host.Name), out var known) ? known : HostState.Empty;
        var (secrets, missing) = request.Secrets.Resolve(tenant);
        var env = EnvFile(tenant, paths, secrets);
        var changes = CompareEnv(env, state.EnvHashes, tenant.Secrets.Keys);

        var blocker = missing.Count > 0 ? $"secrets not set on this machine: {string.Join(", ", missing)}"
            : env.Values.Any(v => v.Contains('\n')) ? "a variable's value contains a line break"
            : LockBlocker(state, request, config.Lock);

        var idle = host.Strategy == DeployStrategy.BlueGreen ? (state.ActiveSlot ?? Slot.Green).Other() : Slot.Blue;
        var ports = new SlotPorts(tenant, host);
        var executable = config.Service.Executable;
        var release = paths.Release(version);
        var binary = $"{Shell.Quote(release)}/{executable}";
        var inShared = $"cd {Shell.Quote(paths.Shared)}";
        var backup = $"{paths.Backups}/{request.Now:yyyyMMddTHHmmssZ}-before-{version}.db";
        var migratedMarker = backup + ".migrated";
        var artifactName = Path.GetFileName(request.Artifact.File);
        var upload = $"{paths.Uploads}/{artifactName}";
        var isFirstDeploy = state.CurrentVersion is null;
        var owner = new LockOwner(request.Who, request.Now, version, request.LockToken);

        var prepare = new List<Step>();
        if (state.Lock is not null && IsStale(state.Lock, request.Now, config.Lock))
            prepare.Add(new RunStep($"break the stale lock of {state.Lock.Who} (since {state.Lock.Since:u})",
                $"rm -rf {Shell.Quote(paths.Lock)}"));
        var releaseLock = ReleaseLockScript(paths, request.LockToken);
        prepare.Add(new RunStep("take the tenant lock", LockScript(paths), owner.ToJson())
            { Undo = releaseLock, InputSummary = $"lock owner {request.Who}, version {version}" });
        prepare.Add(new RunStep("create the folders",
            $"mkdir -p {string.Join(' ', new[] { paths.Releases, paths.Data, paths.Backups, paths.Logs, paths.Uploads, paths.Slots, paths.Root + "/run" }.Select(Shell.Quote))}" +
            $" && chmod 700 {Shell.Quote(paths.Shared)}"));
        prepare.Add(new UploadStep("upload the artifact", request.Artifact.File, upload, request.Artifact.Sha256)
            { Undo = $"rm -f {Shell.Quote(upload)} {Shell.Quote(upload)}.part" });
        prepare.Add(new RunStep($"unpack into releases/{version}", UnpackScript(paths, version, upload))
            { Undo = state.Releases.Contains(version) ? null : $"[ \"$(basename \"$(readlink {Shell.Quote(paths.Current)})\")\" = {Shell.Quote(version)} ] || rm -rf {Shell.Quote(release)}" });
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

        // Blue/green migrates while the old version serves (migrations must be backward compatible); restart migrates after the stop.
        var migrate = new RunStep("apply database migrations", MigrateScript(inShared, binary, isFirstDeploy ? null : migratedMarker))
            { Undo = isFirstDeploy ? null : RestoreScript(inShared, binary, backup, migratedMarker) };
        var startIdle = new RunStep($"start {version} in the {idle.Name()} slot on port {ports.Of(idle)}", string.Join('\n',
                "set -e",
                $"printf 'URLS=http://127.0.0.1:{ports.Of(idle)}\\n' > {Shell.Quote(paths.SlotEnv(idle))}",
                $"ln -sfn ../releases/{Shell.Quote(version)} {Shell.Quote(paths.SlotRelease(idle))}.next",
                $"mv -T {Shell.Quote(paths.SlotRelease(idle))}.next {Shell.Quote(paths.SlotRelease(idle))}",
                ServiceCommands.Stop(host, paths, idle),
                ServiceCommands.Start(host, paths, idle, executable)))
            { Undo = ServiceCommands.Stop(host, paths, idle) };
        var gate = new HealthGateStep($"wait until {version} is ready on port {ports.Of(idle)}", ports.Of(idle), config.Health.Path, version);
        var pointCurrent = new RunStep($"point current at releases/{version}", PointCurrentScript(paths, version))
            { Undo = state.CurrentVersion is null ? $"rm -f {Shell.Quote(paths.Current)}" : PointCurrentScript(paths, state.CurrentVersion) };

        var switching = new List<Step>();
        if (host.Strategy == DeployStrategy.BlueGreen)
        {
            prepare.Add(migrate);
            prepare.Add(startIdle);
            prepare.Add(gate);
            var active = idle.Other();
            switching.Add(new RunStep($"switch nginx to the {idle.Name()} slot", ProxyCommands.PointTo(host, paths, ports.Of(idle), idle))
                { Undo = state.ActiveSlot is null ? null : ProxyCommands.PointTo(host, paths, ports.Of(active), active) });
            switching.Add(pointCurrent);
            if (state.ActiveSlot is not null)
                switching.Add(new RunStep($"drain and stop the {active.Name()} slot", $"sleep {config.Health.DrainSeconds}\n" + ServiceCommands.Stop(host, paths, active))
                    { Undo = Lines(ServiceCommands.Start(host, paths, active, executable), WaitReadyScript(ports.Of(active), config.Health)) });
        }
        else
        {
            switching.Add(new RunStep("stop the running version", ServiceCommands.Stop(host, paths, Slot.Blue))
                { Undo = state.CurrentVersion is null ? null : Lines(ServiceCommands.Start(host, paths, Slot.Blue, executable), WaitReadyScript(ports.Of(Slot.Blue), config.Health)) });
            switching.Add(migrate);
            // The undo of "start" stops the new version; the previous slot link is put back by pointing it at the old release.
            switching.Add(startIdle with
            {
                Undo = state.CurrentVersion is null ? startIdle.Undo : Lines(ServiceCommands.Stop(host, paths, Slot.Blue),
                    $"ln -sfn ../releases/{Shell.Quote(state.CurrentVersion)} {Shell.Quote(paths.SlotRelease(Slot.Blue))}.next",
                    $"mv -T {Shell.Quote(paths.SlotRelease(Slot.Blue))}.next {Shell.Quote(paths.SlotRelease(Slot.Blue))}"),
            });
            switching.Add(gate);
            switching.Add(pointCurrent);
        }

        var finish = new List<Step>();
        if (config.Health.BakeSeconds > 0)
            finish.Add(new BakeStep($"watch {version} for {config.Health.BakeSeconds}s", tenant.Port, config.Health.Path, version, config.Health.BakeSeconds, config.Health.MaxErrorRate));
        var prune = PruneScript(paths, state, version, config.ReleasesKept);
        if (prune is not null) finish.Add(new RunStep($"keep the newest {config.ReleasesKept} releases", prune));

        return new TargetPlan(tenant, host, paths, state.CurrentVersion, version, changes, prepare, switching, finish, blocker, releaseLock);
    }

    /// <summary>The two ports a tenant's slots listen on: behind nginx one each; without a proxy the tenant's own port.</summary>
    private sealed record SlotPorts(TenantConfig Tenant, HostConfig Host)
    {
        public int Of(Slot slot) => Host.Strategy == DeployStrategy.Restart ? Tenant.Port : Tenant.SlotPorts[slot == Slot.Blue ? 0 : 1];
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

    private static bool IsStale(LockOwner owner, DateTimeOffset now, LockSettings settings) => now - owner.Since > TimeSpan.FromMinutes(settings.StaleAfterMinutes);

    private static string? LockBlocker(HostState state, DeployRequest request, LockSettings settings) =>
        state.LockUnreadable ? "the deploy lock exists but names no owner; look at the host, then `storagectl lock release`"
        : state.Lock is { } owner && !IsStale(owner, request.Now, settings) && owner.Token != request.LockToken
            ? $"locked by {owner.Who} since {owner.Since:u} deploying {owner.Version}; wait, or `storagectl lock release` if that deploy is dead"
            : null;

    /// <summary>Atomic: the owner file is written into a fresh folder that is renamed onto the lock; rename fails if the lock exists.</summary>
    private static string LockScript(TenantPaths paths) => $$"""
        set -e
        mkdir -p {{Shell.Quote(paths.Root)}}
        candidate=$(mktemp -d {{Shell.Quote(paths.Root)}}/.lock.XXXXXX)
        cat > "$candidate/owner.json"
        if ! mv -T "$candidate" {{Shell.Quote(paths.Lock)}} 2>/dev/null; then
          rm -rf "$candidate"
          echo "locked by $(cat {{Shell.Quote(paths.LockOwner)}} 2>/dev/null)" >&2
          exit 1
        fi
        """;

    /// <summary>Releases the lock only if it is still ours.</summary>
    public static string ReleaseLockScript(TenantPaths paths, string token) =>
        $"grep -q {Shell.Quote($"\"token\":\"{token}\"")} {Shell.Quote(paths.LockOwner)} 2>/dev/null && rm -rf {Shell.Quote(paths.Lock)} || true";

    private static string UnpackScript(TenantPaths paths, string version, string upload)
    {
        var release = Shell.Quote(paths.Release(version));
        var partial = Shell.Quote($"{paths.Releases}/.{version}.partial");
        return $$"""
            set -e
            if [ ! -d {{release}} ]; then
              rm -rf {{partial}} && mkdir -p {{partial}}
              tar -xzf {{Shell.Quote(upload)}} -C {{partial}}
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

    private static string PointCurrentScript(TenantPaths paths, string version) => Shell.All(
        $"ln -sfn releases/{Shell.Quote(version)} {Shell.Quote(paths.Current)}.next",
        $"mv -T {Shell.Quote(paths.Current)}.next {Shell.Quote(paths.Current)}");

    /// <summary>Scripts run one after another, stopping at the first failure.</summary>
    private static string Lines(params string[] scripts) => "set -e\n" + string.Join('\n', scripts);

    /// <summary>Used by undo steps that start the old version again: they are not done until it answers.</summary>
    private static string WaitReadyScript(int port, HealthSettings health) =>
        $"i=0; until curl -fsS -m {health.TimeoutSeconds} -o /dev/null http://127.0.0.1:{port}{health.Path}; do " +
        $"i=$((i + 1)); [ $i -ge {health.Retries} ] && exit 1; sleep {health.IntervalSeconds}; done";

    /// <summary>Deletes the oldest releases beyond the kept number, never the new one or the one running now.</summary>
    private static string? PruneScript(TenantPaths paths, HostState state, string version, int kept)
    {
        var newestFirst = state.Releases.Where(r => r != version).Prepend(version).ToList();
        var doomed = newestFirst.Skip(kept).Where(r => r != state.CurrentVersion).ToList();
        return doomed.Count == 0 ? null : $"rm -rf {string.Join(' ', doomed.Select(r => Shell.Quote(paths.Release(r))))}";
    }
}
