using System.CommandLine;
using System.Globalization;
using DotEnv;
using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Hosts;
using Storagectl.Onboarding;
using Storagectl.Planning;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>
/// `storagectl tenant restore &lt;env&gt; &lt;tenant&gt; --to &lt;host&gt; [--at time] [--artifact f]`: disaster recovery from the
/// tenant's off-host backups onto a host that does not run it: find the snapshot, deploy the release that took it (the
/// same artifact, never a new build) with restore-from before migrate, verify every blob, switch; then, when the old host
/// can still be read, forward its nginx to the new host and name the objects the backup lacks; report the RPO and write
/// the new placement to the configuration.
/// </summary>
public static class TenantRestoreCommand
{
    private static readonly Argument<string> TenantArgument = new("tenant") { Description = "the tenant to restore" };
    private static readonly Option<string> ToOption = new("--to") { Description = "the host to restore onto", Required = true };
    private static readonly Option<string?> AtOption = new("--at") { Description = "restore the newest snapshot taken at or before this ISO 8601 time (default: the newest)" };
    private static readonly Option<string?> ArtifactOption = new("--artifact") { Description = "the artifact of the release that took the snapshot (default: artifacts/<service>-<version>.tar.gz)" };

    public static Command Restore()
    {
        var command = new Command("restore", "restore a tenant from its off-host backups onto a host (disaster recovery); reports the RPO")
            { EnvironmentArgument, TenantArgument, ToOption, AtOption, ArtifactOption, DryRunOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var name = parse.GetValue(TenantArgument)!;
            var (scope, tenant) = TenantRemoveCommand.TenantScope(parse, name);
            var (config, environment) = (scope.Config, scope.Environment);
            var toName = parse.GetValue(ToOption)!;
            if (!config.Hosts.TryGetValue(toName, out var to))
                throw new ConfigException($"no host '{toName}' in {config.SourceFile} (known: {string.Join(", ", config.Hosts.Keys)})");
            DateTimeOffset? at = null;
            if (parse.GetValue(AtOption) is { } atText)
                at = DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed : throw new ConfigException($"--at: '{atText}' is not an ISO 8601 time");
            var secrets = SecretSource.FromMachine(config.SecretsFile);
            if (!BackupSource.IsConfigured(tenant)) throw new ConfigException(BackupSource.Missing(environment.Name, name));
            var url = BackupSource.UrlOf(tenant, secrets) ?? throw new ConfigException($"{BackupSource.UrlVariable} of {name} is not set on this machine ({secrets.SearchedPlaces})");
            var now = DateTimeOffset.UtcNow;

            await using var fleet = new HostFleet(config);
            // Every tenant and host of the environment: the old hosts (may be dead), and the manifests the artifact must match.
            var everywhere = await fleet.ProbeEachAsync(environment, null, cancel);
            var oldHosts = tenant.Hosts.Where(h => h != toName).Select(h => config.Hosts[h]).ToList();

            var snapshot = await FindSnapshotAsync(fleet, config, environment, tenant, to, secrets, at, cancel);
            Console.WriteLine($"snapshot {snapshot.Id} taken {snapshot.TakenAtText} by {snapshot.Version}: {snapshot.Objects} objects, {snapshot.Bytes} bytes" +
                              (snapshot.Missing > 0 ? $", {snapshot.Missing} blobs missing in it" : ""));
            var artifact = ChooseArtifact(parse.GetValue(ArtifactOption), config, snapshot, everywhere.Values.Select(p => p.State).OfType<HostState>());

            var listening = await fleet.For(to).RunAsync(PortCommands.Listening, (string?)null, cancel);
            if (!listening.Succeeded) throw new HostUnreachableException($"{to.Name}: cannot read its listening ports: {listening.Reason}");
            var (port, slotPorts) = PortChoice.On(to, tenant, config, PortChoice.ParseListening(listening.Output));
            var placed = tenant with { Hosts = [toName], Port = port, SlotPorts = slotPorts };
            var moved = environment with { Tenants = new Dictionary<string, TenantConfig>(environment.Tenants) { [name] = placed } };
            var targetState = (await fleet.ProbeAsync(moved, name, cancel, onlyHost: toName))[(name, toName)];
            var context = new PlanContext(config, moved, new Dictionary<(string, string), HostState> { [(name, toName)] = targetState },
                Operator.Who(), now, Guid.NewGuid().ToString("N"), name);
            var plan = RestorePlanner.Plan(new RestoreRequest(context, name, artifact, secrets, snapshot, url));
            if (port != tenant.Port) Console.WriteLine($"port {tenant.Port} or a slot port is taken on {toName}: {name} listens on {port} there (slots {string.Join(", ", slotPorts)})");
            if (parse.GetValue(DryRunOption))
            {
                var printed = PlanRunner.Print(plan);
                foreach (var old in oldHosts) Console.WriteLine($"then, if {old.Name} can be read: stop {name}'s slots there, forward its nginx site to {toName}, compare `verify --list` on both");
                return printed;
            }

            // Before anything changes: what the old host still has (it may be gone, or be the host restored onto).
            var before = new Dictionary<string, IReadOnlyList<string>?>();
            foreach (var old in oldHosts) before[old.Name] = await ListObjectsAsync(fleet.For(old), new TenantPaths(old.Root, name), everywhere.GetValueOrDefault((name, old.Name)).State, config, cancel);

            var code = await PlanRunner.RunAsync(parse, plan, fleet, cancel);
            if (code != 0) return code;

            var yaml = await File.ReadAllTextAsync(config.SourceFile, cancel);
            var edited = ConfigEditor.SetTenantPlacement(yaml, environment.Name, name, [toName], port == tenant.Port ? null : port, port == tenant.Port ? null : slotPorts, config.SourceFile);
            ConfigFile.WriteAtomically(config.SourceFile, edited);
            Console.WriteLine($"{config.SourceFile}: {name} now runs on {toName}" + (port == tenant.Port ? "" : $", port {port}, slot ports {string.Join(", ", slotPorts)}"));

            var restoredIds = (await ListObjectsAsync(fleet.For(to), new TenantPaths(to.Root, name), targetState with { CurrentVersion = artifact.Version }, config, cancel))?.ToHashSet();
            var address = to.ForwardAddress;
            var lines = new List<string>
            {
                $"RPO: {name} is back as of snapshot {snapshot.Id}, taken {snapshot.TakenAt:u} ({Age(now - snapshot.TakenAt)} before this restore); everything written after it is not in the backup",
            };
            foreach (var old in oldHosts)
            {
                var oldPaths = new TenantPaths(old.Root, name);
                if (before[old.Name] is { } had && restoredIds is not null)
                {
                    var lacking = had.Where(id => !restoredIds.Contains(id)).ToList();
                    lines.Add(lacking.Count == 0
                        ? $"RPO: {old.Name} still had {had.Count} objects; the backup lacks none of them"
                        : $"RPO: {old.Name} still has {lacking.Count} objects the backup lacks: {string.Join(", ", lacking.Take(50))}{(lacking.Count > 50 ? ", …" : "")} (their bytes stay in {oldPaths.Data} there)");
                }
                else lines.Add($"RPO: {old.Name} has no readable data for {name}: which objects were written after {snapshot.TakenAt:u} cannot be told");
                if (everywhere.GetValueOrDefault((name, old.Name)).State is null) { lines.Add($"{old.Name} cannot be reached: its nginx still names {name}; remove the site there once it is back"); continue; }
                var connection = fleet.For(old);
                var stopped = await connection.RunAsync(ForwardCommands.StopSlots(old, oldPaths), (string?)null, cancel);
                if (!stopped.Succeeded) lines.Add($"{old.Name}: could not stop {name}'s slots: {stopped.Reason}");
                if (old.Proxy == ProxyKind.Nginx)
                {
                    var targetUrl = $"http://{address}:{port}";
                    var forwarded = await connection.RunAsync(ForwardCommands.Write(old, tenant, targetUrl), ForwardCommands.Site(tenant, $"tenant restore: {name} was restored onto {toName} on {DateTimeOffset.UtcNow:u}", targetUrl), cancel);
                    lines.Add(forwarded.Succeeded
                        ? $"{old.Name}: nginx forwards port {tenant.Port} to {toName} ({address}:{port}) until DNS follows"
                        : $"{old.Name}: could not forward its nginx to {toName}: {forwarded.Reason}");
                }
            }
            lines.Add($"DNS: point {tenant.PublicUrl ?? $"{name}'s address"} at {toName} ({address}), port {port}");
            foreach (var line in lines) Console.WriteLine(line);
            return 0;
        });
        return command;
    }

    private static string Age(TimeSpan age) =>
        age.TotalMinutes < 1 ? $"{Math.Max(0, age.TotalSeconds):0} s" : age.TotalHours < 2 ? $"{age.TotalMinutes:0} min" : $"{age.TotalHours:0.#} h";

    /// <summary>
    /// `backups list` on the target host (which must reach the backups anyway), else on another host of the environment,
    /// with any release of the service found there and the tenant's variables in a private .env.
    /// </summary>
    private static async Task<Snapshot> FindSnapshotAsync(HostFleet fleet, DeployConfig config, EnvironmentConfig environment, TenantConfig tenant, HostConfig to,
        SecretSource secrets, DateTimeOffset? at, CancellationToken cancel)
    {
        var (values, missing) = secrets.Resolve(tenant);
        if (missing.Count > 0) throw new ConfigException($"secrets of {tenant.Name} not set on this machine: {string.Join(", ", missing)} (looked in {secrets.SearchedPlaces})");
        var env = DeployPlanner.EnvFile(tenant, new TenantPaths(to.Root, tenant.Name), values)
            .Where(e => e.Key is not ("DATABASE_URL" or "STORAGE_DATA_DIR" or "BLOB_STORE_URL"));
        var input = string.Concat(env.Select(e => DotEnvFormat.Line(e.Key, e.Value)));
        var hosts = new[] { to }.Concat(environment.Tenants.Values.SelectMany(t => t.Hosts).Distinct().Where(h => h != to.Name).Select(h => config.Hosts[h]));
        var tried = new List<string>();
        foreach (var host in hosts)
        {
            var result = await fleet.For(host).RunAsync(BackupCommands.ListSnapshots(host.Root, config.Service.Executable), input, cancel);
            if (result.ExitCode is BackupCommands.NoReleaseExitCode or 255) { tried.Add($"{host.Name}: {result.Reason}"); continue; }
            if (!result.Succeeded) throw new ConfigException($"{host.Name}: cannot list the backups of {tenant.Name}: {result.Reason}");
            var snapshots = Snapshot.ParseList(result.Output);
            return Snapshot.Choose(snapshots, at) ?? throw new ConfigException(snapshots.Count == 0
                ? $"the backups of {tenant.Name} have no snapshot"
                : $"no snapshot of {tenant.Name} taken at or before {at:u}; the oldest is {snapshots[0].TakenAtText}");
        }
        throw new ConfigException($"no host could list the backups of {tenant.Name}: {string.Join("; ", tried)}");
    }

    /// <summary>The artifact of the snapshot's release: --artifact or artifacts/&lt;service&gt;-&lt;version&gt;.tar.gz, matching the hosts' manifest of that version.</summary>
    private static Artifact ChooseArtifact(string? file, DeployConfig config, Snapshot snapshot, IEnumerable<HostState> states)
    {
        var version = snapshot.Release;
        var known = states.Select(s => s.Manifests.GetValueOrDefault(version)?.Sha256).FirstOrDefault(s => s is not null);
        var artifact = RunningRelease.Artifact(config.Service.Name, version, known, file, "the snapshot was taken by");
        if (!snapshot.TakenBy(artifact)) throw new ArtifactException($"{file ?? "the artifact"} is {artifact.Version} ({artifact.Commit}); the snapshot was taken by {snapshot.Version}");
        return artifact;
    }

    /// <summary>The object ids `verify --list` gives on a host that runs the tenant, or null when it cannot tell.</summary>
    private static async Task<IReadOnlyList<string>?> ListObjectsAsync(HostConnection connection, TenantPaths paths, HostState? state, DeployConfig config, CancellationToken cancel)
    {
        if (state?.CurrentVersion is null) return null;
        var result = await connection.RunAsync(BackupCommands.ListObjects(paths, config.Service.Executable), (string?)null, cancel);
        return result.Succeeded ? [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])] : null;
    }
}
