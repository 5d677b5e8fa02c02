using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Hosts;
using Storagectl.Onboarding;
using Storagectl.Planning;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>`storagectl tenant move &lt;env&gt; &lt;tenant&gt; --to &lt;host&gt;`: the plan of <see cref="MovePlanner"/>, run by the executor, timed, and written back into the configuration.</summary>
public static class TenantMoveCommand
{
    private static readonly Argument<string> TenantArgument = new("tenant") { Description = "the tenant to move" };
    private static readonly Option<string> ToOption = new("--to") { Description = "the host it moves to (one under hosts:)", Required = true };
    private static readonly Option<string?> ArtifactOption = new("--artifact")
        { Description = "the artifact of the release the tenant runs (default: artifacts/<service>-<version>.tar.gz); its sha256 must match the source's release.json" };
    private static readonly Option<bool> KeepSourceOption = new("--keep-source") { Description = "keep the source's service running, read-only (default: stop it after the switch)" };

    public static Command Move()
    {
        var command = new Command("move", "move a tenant to another host: same release, data copied while it serves, a short write hold, verified, then switched")
            { EnvironmentArgument, TenantArgument, ToOption, ArtifactOption, KeepSourceOption, DryRunOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var config = LoadConfig(parse);
            var environment = config.Environment(parse.GetValue(EnvironmentArgument)!);
            var (name, to) = (parse.GetValue(TenantArgument)!, parse.GetValue(ToOption)!);
            if (!environment.Tenants.TryGetValue(name, out var tenant))
                throw new ConfigException($"{environment.Name} has no tenant '{name}' (known: {string.Join(", ", environment.Tenants.Keys)})");
            if (!config.Hosts.TryGetValue(to, out var target))
                throw new ConfigException($"{config.SourceFile}: no host '{to}' (known: {string.Join(", ", config.Hosts.Keys)})");

            await using var fleet = new HostFleet(config);
            // The tenant's folder on its host and on the target: the target's tells whether it already has the tenant.
            var both = environment with { Tenants = new Dictionary<string, TenantConfig> { [name] = tenant with { Hosts = [.. tenant.Hosts.Append(to).Distinct()] } } };
            var states = await fleet.ProbeAsync(both, name, cancel);
            var listening = await fleet.For(target).RunAsync(PortCommands.Listening, (string?)null, cancel);
            if (!listening.Succeeded) throw new HostUnreachableException($"{to}: cannot list its listening ports: {listening.Reason}");
            var context = new PlanContext(config, environment, states, Operator.Who(), DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N"), name);
            var artifact = LoadArtifact(parse, config, tenant, states);
            var move = MovePlanner.Plan(new MoveRequest(context, name, to, artifact, SecretSource.FromMachine(config.SecretsFile),
                PortChoice.ParseListening(listening.Output), parse.GetValue(KeepSourceOption)));

            if (parse.GetValue(DryRunOption))
            {
                var printed = PlanRunner.Print(move.Plan);
                foreach (var note in move.Notes) Console.WriteLine($"after the move: {note}");
                return printed;
            }
            if (move.Plan.Blockers.Count > 0)
            {
                foreach (var blocker in move.Plan.Blockers) Console.Error.WriteLine($"error: {blocker}");
                return 1;
            }
            Console.WriteLine($"move {name} from {move.Source.Name} to {move.Target.Name}: {artifact.Service} {move.Version} (sha256 {artifact.Sha256[..12]}…), " +
                              $"port {move.Moved.Port}" + (move.Moved.SlotPorts.Count > 0 ? $", slot ports {string.Join(", ", move.Moved.SlotPorts)}" : "") +
                              (MovePlanner.CopiesBlobFiles(tenant) ? "; database and blob files" : "; database only (the S3 blob store stays where it is)"));
            StepClock? clock = null;
            var started = System.Diagnostics.Stopwatch.StartNew();
            var outcome = await Reporters.RunPlanAsync(parse, move.Plan, fleet, cancel, reporter => clock = new StepClock(reporter));
            ReportHold(move, clock!);
            if (!outcome.Succeeded && !outcome.Committed)
            {
                Console.WriteLine(outcome.Targets.All(t => t.Outcome == DeployRecord.Refused)
                    ? $"move of {name} refused, nothing changed: {outcome.FirstError}"
                    : $"move of {name} failed and was undone: {move.Source.Name} serves and takes writes as before, {move.Target.Name} is stopped: {outcome.FirstError}");
                return 1;
            }
            Console.WriteLine($"moved {name} from {move.Source.Name} to {move.Target.Name} in {started.Elapsed.TotalSeconds:0.0} s");
            WritePlacement(config, environment.Name, move);
            foreach (var note in move.Notes) Console.WriteLine(note);
            if (outcome.Committed) Console.Error.WriteLine($"error: after the switch: {outcome.FirstError}");
            return outcome.Succeeded ? 0 : 1;
        });
        return command;
    }

    /// <summary>The build the source runs: --artifact, or the one `storagectl build` leaves in artifacts/; the planner compares its sha256 with the source's.</summary>
    private static Artifact LoadArtifact(ParseResult parse, DeployConfig config, TenantConfig tenant, IReadOnlyDictionary<(string, string), HostState> states)
    {
        var state = tenant.Hosts.Count == 1 && states.TryGetValue((tenant.Name, tenant.Hosts[0]), out var known) ? known : HostState.Empty;
        if (state.CurrentVersion is not { } version) throw new ConfigException($"{tenant.Name} runs no release on {string.Join(", ", tenant.Hosts)}: there is nothing to move");
        return RunningRelease.Artifact(config.Service.Name, version, state.Manifests.GetValueOrDefault(version)?.Sha256, parse.GetValue(ArtifactOption), $"{tenant.Hosts[0]} runs");
    }

    /// <summary>How long writes were held (from the hold's PUT returning to the forward in place) and what each step of it took.</summary>
    private static void ReportHold(MovePlan move, StepClock clock)
    {
        if (clock.Between(move.HoldStarts.Title, move.HoldEnds.Title) is not { } hold) return;
        var steps = move.HoldWindow.Skip(1).Select(step => (step.Title, Took: clock.Took(step.Title))).Where(s => s.Took is not null).ToList();
        Console.WriteLine($"write hold: {hold.TotalSeconds:0.00} s on {move.Source.Name} (from the hold's PUT returning to the forward in place; " +
                          $"the PUT itself took {clock.Took(move.HoldStarts.Title)?.TotalSeconds:0.00} s)");
        foreach (var (title, took) in steps.OrderByDescending(s => s.Took))
            Console.WriteLine($"  {took!.Value.TotalSeconds,5:0.00} s  {title}");
    }

    /// <summary>The tenant's new host and ports, written into the configuration file (comments and layout kept).</summary>
    private static void WritePlacement(DeployConfig config, string environment, MovePlan move)
    {
        var yaml = File.ReadAllText(config.SourceFile);
        var edited = ConfigEditor.SetTenantPlacement(yaml, environment, move.Tenant.Name, [move.Target.Name], move.Moved.Port, move.Moved.SlotPorts, config.SourceFile);
        ConfigFile.WriteAtomically(config.SourceFile, edited);
        Console.WriteLine($"{config.SourceFile}: {move.Tenant.Name} is now on {move.Target.Name}, port {move.Moved.Port}" +
                          (move.Moved.SlotPorts.Count > 0 ? $", slot ports {string.Join(", ", move.Moved.SlotPorts)}" : "") + " (commit this change)");
    }
}
