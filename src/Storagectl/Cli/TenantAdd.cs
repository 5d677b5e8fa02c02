using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Hosts;
using Storagectl.Onboarding;
using Storagectl.Planning;

namespace Storagectl.Cli;

/// <summary>
/// `storagectl tenant add`: everything is checked first (nothing is touched when something is wrong), then, in order:
/// the configuration entry, the secrets, provision, the first deploy of the release the environment runs (the same
/// artifact, never a new build), the tenant and its first key (recorded as `onboard`), and the setup sheet. A tenant
/// already in the configuration but never onboarded is continued, step by step, from where an earlier run stopped.
/// </summary>
public static class TenantAdd
{
    public sealed record Request(string ConfigFile, string Environment, string Tenant, string Host, int? Ring, string? Name, bool CiSecrets,
        string? Artifact, string? PublicUrl, int? Port, string? Sheet);

    public static async Task<int> RunAsync(ParseResult parse, Request request, CancellationToken cancel)
    {
        var file = request.ConfigFile;
        var config = DeployConfigLoader.Load(file);
        var yaml = await File.ReadAllTextAsync(file, cancel);
        var environment = config.Environment(request.Environment);
        var tenant = request.Tenant;
        if (!config.Hosts.TryGetValue(request.Host, out var host))
            throw new ConfigException($"{file}: no host '{request.Host}' under hosts (known: {string.Join(", ", config.Hosts.Keys)})");
        if (!DeployConfigLoader.NamePattern().IsMatch(tenant)) throw new ConfigException($"tenant name '{tenant}' must be lower-case letters, digits and dashes");
        if (request.PublicUrl is { } url && !DeployConfigLoader.IsPublicUrl(url))
            throw new ConfigException($"--public-url must be an absolute http:// or https:// URL without query or credentials, not '{url}'");
        var name = request.Name ?? tenant;
        var existing = environment.Tenants.GetValueOrDefault(tenant);
        if (existing is not null && !existing.Hosts.Contains(host.Name))
            throw new ConfigException($"{tenant} is in {environment.Name} already, on {string.Join(", ", existing.Hosts)}, not {host.Name}");
        if (!request.CiSecrets && config.SecretsFile is null)
            throw new ConfigException($"{file} names no secrets_file to write {tenant}'s secrets to: add one (secrets_file: ~/.config/storagectl/secrets.env) or use --ci-secrets");

        await using var fleet = new HostFleet(config);
        var states = await fleet.ProbeAsync(environment, null, cancel);
        var paths = new TenantPaths(host.Root, tenant);
        if (existing is not null && states.GetValueOrDefault((tenant, host.Name))?.History.LastOrDefault(r => r.Kind == DeployPlan.Onboard && r.Outcome == DeployRecord.Succeeded) is { } onboarded)
            throw new ConfigException($"{tenant} was onboarded on {host.Name} on {onboarded.FinishedAt:u} by {onboarded.Who}; nothing to do (another key: `storage-api keys create {tenant}` in {paths.Shared})");
        var given = request.Artifact is { } artifactFile ? Artifact.Load(artifactFile) : null;
        var artifact = RunningRelease.Artifact(RunningRelease.Of(environment, states, tenant, given?.Version), request.Artifact);

        var machine = MachineEnvironment.Snapshot();
        var fileSecrets = config.SecretsFile is { } secretsFile ? SecretSource.ReadFile(secretsFile) : new Dictionary<string, string>();
        bool IsSet(string source) => machine.GetValueOrDefault(source) is { Length: > 0 } || fileSecrets.GetValueOrDefault(source) is { Length: > 0 };
        string? newYaml = null;
        List<string> generate;
        if (existing is null)
        {
            var connection = fleet.For(host);
            if ((await connection.RunAsync(TenantAdminCommands.FolderExists(paths), (string?)null, cancel)).Output.Trim() == "exists")
                throw new ConfigException($"{host.Name} has a folder {paths.Root} already, which no tenant of {file} owns: look at it and move it away, or choose another name");
            var listening = PortChoice.ParseListening((await connection.RunAsync(PortCommands.Listening, (string?)null, cancel)).Output);
            var ports = PortChoice.ForNewTenant(config, host, request.Port, listening);
            var draft = TenantDraft.Of(environment, tenant, host, ports, request.PublicUrl);
            if (draft.GeneratedSecrets.FirstOrDefault(IsSet) is { } taken)
                throw new ConfigException($"{taken} is set already ({(machine.ContainsKey(taken) ? "in the environment" : $"in {config.SecretsFile}")}): a new tenant's secrets must be new; remove it first");
            newYaml = ConfigEditor.AddTenant(yaml, environment.Name, draft.Tenant, request.Ring, file);
            generate = [.. draft.GeneratedSecrets];
            Console.WriteLine($"tenant add: {tenant} ({name}) to {environment.Name} on {host.Name}, " +
                              $"port {ports.Port}{(ports.SlotPorts.Count > 0 ? $" (slots {string.Join(", ", ports.SlotPorts)})" : "")}" +
                              (listening.Count == 0 ? "; no listening ports could be read on the host (no ss?), so only the configuration's ports were avoided" : ""));
            foreach (var note in draft.Notes) Console.WriteLine($"  {note}");
        }
        else
        {
            generate = [.. existing.Secrets.Where(s => TenantDraft.Generated.Contains(s.Key) && !IsSet(s.Value)).Select(s => s.Value)];
            Console.WriteLine($"tenant add: {tenant} is in {file} already but was never onboarded: continuing from its entry as it is" +
                              (request.Port is not null || request.PublicUrl is not null || request.Ring is not null ? " (--port, --public-url and --ring are not applied)" : ""));
        }
        Console.WriteLine($"  release {artifact.Version} (sha256 {artifact.Sha256[..12]}…), the one {environment.Name} runs: {artifact.File}");

        var progress = new TenantAddProgress(ContinueCommand(request));
        var step = "editing the configuration";
        try
        {
            if (newYaml is not null)
            {
                ConfigFile.WriteAtomically(file, newYaml);
                Console.WriteLine($"edited {file}: added {tenant}");
                progress.Done($"{file}: {tenant} added to {environment.Name}", $"remove {tenant}'s entry (and its name under rings:) from {file}");
            }
            step = "writing the secrets";
            var values = generate.Select(n => new KeyValuePair<string, string>(n, TenantSecrets.NewValue())).ToList();
            if (values.Count > 0 && request.CiSecrets)
            {
                Console.WriteLine($"new secrets for {tenant}, shown once: store them as secrets of the GitHub environment {environment.Name} (the value goes on stdin):");
                foreach (var (secret, value) in values) Console.WriteLine($"  {TenantSecrets.GhSecretSet(secret, value, environment.Name)}");
                Console.WriteLine($"  and add each to the deploy job's env: in .github/workflows/deploy.yml ({string.Join(", ", values.Select(v => $"{v.Key}: ${{{{ secrets.{v.Key} }}}}"))})");
                progress.Done($"secrets {string.Join(", ", values.Select(v => v.Key))}: printed above, stored nowhere here (to continue, export them in this shell or set them with gh)",
                    "nothing to undo for the printed secrets, unless you stored them with gh (then `gh secret delete <NAME> --env " + environment.Name + "`)");
            }
            else if (values.Count > 0)
            {
                TenantSecrets.Append(config.SecretsFile!, values, $"{tenant} ({environment.Name}): written by storagectl tenant add, {DateTimeOffset.UtcNow:u}");
                Console.WriteLine($"wrote {string.Join(", ", values.Select(v => v.Key))} to {config.SecretsFile} (0600)");
                progress.Done($"{config.SecretsFile}: {string.Join(", ", values.Select(v => v.Key))} appended", $"delete those lines from {config.SecretsFile}");
            }

            config = DeployConfigLoader.Load(file);
            environment = config.Environment(request.Environment);
            var tenantConfig = environment.Tenants[tenant];
            var overlay = new Dictionary<string, string>(machine);
            if (request.CiSecrets) foreach (var (secret, value) in values) overlay[secret] = value;
            var secrets = new SecretSource(overlay, config.SecretsFile is null ? new Dictionary<string, string>() : SecretSource.ReadFile(config.SecretsFile), config.SecretsFile);
            var token = Guid.NewGuid().ToString("N");
            async Task<PlanContext> ContextAsync() =>
                new(config, environment, await fleet.ProbeAsync(environment, tenant, cancel, onlyHost: host.Name), Operator.Who(), DateTimeOffset.UtcNow, token, tenant);

            step = "provisioning";
            if (await PlanRunner.RunAsync(parse, ProvisionPlanner.Plan(await ContextAsync(), host.Name), fleet, cancel) != 0) return Stopped(progress, step);
            progress.Done($"{tenant}@{host.Name}: provisioned (folders under {paths.Root}, service, nginx site on port {tenantConfig.Port})",
                $"on {host.Name}: stop {tenant}'s slots, remove {paths.Root}{(host.Proxy == ProxyKind.Nginx ? $" and {ProxyCommands.SitePath(host, tenantConfig)} (then reload nginx)" : "")}");

            step = $"the first deploy of {artifact.Version}";
            var context = await ContextAsync();
            if (context.StateOf(tenantConfig, host).CurrentVersion != artifact.Version || values.Count > 0)
            {
                if (await PlanRunner.RunAsync(parse, DeployPlanner.Plan(new DeployRequest(context, artifact, secrets)), fleet, cancel) != 0) return Stopped(progress, step);
                progress.Done($"{tenant}@{host.Name}: runs {artifact.Version}", "(removed with its folder)");
            }
            else Console.WriteLine($"{tenant}@{host.Name} runs {artifact.Version} already: no deploy");

            step = "creating the tenant and its first key";
            var onboard = OnboardPlanner.Plan(await ContextAsync(), tenantConfig, host, artifact.Version, name);
            if (onboard.Blockers.Count > 0)
            {
                foreach (var blocker in onboard.Blockers) Console.Error.WriteLine($"error: {blocker}");
                return Stopped(progress, step);
            }
            var outcome = await Reporters.RunPlanAsync(parse, onboard, fleet, cancel);
            if (!outcome.Succeeded)
            {
                Console.Error.WriteLine($"error: {outcome.FirstError}");
                return Stopped(progress, step);
            }
            var key = outcome.Outputs.Where(o => o.Key.CapturesOutput).Select(o => o.Value.Trim()).FirstOrDefault(v => v.Length > 0);

            step = "writing the setup sheet";
            var sheet = new SetupSheet(tenant, name, environment.Name, SetupSheet.BaseUrlOf(tenantConfig, host), key, TenantLimits.Of(tenantConfig));
            var sheetFile = Path.GetFullPath(request.Sheet ?? $"{tenant}-setup.md");
            var markdown = sheet.Markdown();
            ConfigFile.WriteAtomically(sheetFile, markdown, alwaysPrivate: true);
            Console.WriteLine();
            Console.Write(markdown);
            Console.WriteLine();
            Console.WriteLine($"onboarded {tenant} on {host.Name} ({artifact.Version}); the setup sheet (it holds the key: hand it over privately) is {sheetFile}");
            return 0;
        }
        catch (Exception e) when (e is ConfigException or ArtifactException or HostUnreachableException or Processes.ProcessFailedException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Stopped(progress, step);
        }
    }

    private static int Stopped(TenantAddProgress progress, string step)
    {
        foreach (var line in progress.Stopped(step)) Console.Error.WriteLine(line);
        return 1;
    }

    /// <summary>The command that continues this run: the same arguments, minus what only a new entry uses.</summary>
    private static string ContinueCommand(Request request)
    {
        var words = new List<string> { "storagectl" };
        if (Path.GetFullPath(request.ConfigFile) != Path.GetFullPath(Path.Combine("deploy", "storagectl.yml"))) words.AddRange(["--config", request.ConfigFile]);
        words.AddRange(["tenant", "add", request.Environment, request.Tenant, "--host", request.Host]);
        if (request.Name is not null) words.AddRange(["--name", request.Name]);
        if (request.Artifact is not null) words.AddRange(["--artifact", request.Artifact]);
        if (request.CiSecrets) words.Add("--ci-secrets");
        if (request.Sheet is not null) words.AddRange(["--sheet", request.Sheet]);
        return string.Join(' ', words.Select(Shell.Quote));
    }
}
