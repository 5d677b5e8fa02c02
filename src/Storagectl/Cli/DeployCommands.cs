using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;
using Storagectl.Releases;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>build, plan and deploy: thin verbs over the builder, the planner and the executor.</summary>
public static class DeployCommands
{
    private static readonly Option<string?> ArtifactOption = new("--artifact") { Description = "an artifact made by `storagectl build` (default: plan describes the checkout without building; deploy builds it first)" };

    /// <summary>Where `deploy` without --artifact builds, as `storagectl build` does by default.</summary>
    private const string DefaultOutput = "artifacts";
    private static readonly Option<string?> VersionOption = new("--version") { Description = "the version to stamp (default: from git tags)" };
    private static readonly Option<bool> AllowDowngradeOption = new("--allow-downgrade") { Description = "deploy a version older than the one running (the database keeps the newer migrations)" };
    private static readonly Option<string> OutputOption = new("--output", "-o") { Description = "where artifacts go", DefaultValueFactory = _ => "artifacts" };

    public static Command Build()
    {
        var command = new Command("build", "publish the service once, stamped with version and commit, as an artifact with a manifest") { VersionOption, OutputOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var config = LoadConfig(parse);
            var artifact = await ArtifactBuilder.BuildAsync(config, RepositoryOf(config), parse.GetValue(OutputOption)!, parse.GetValue(VersionOption), TimeProvider.System, cancel);
            Console.WriteLine($"built {artifact.Service} {artifact.Version} ({artifact.Commit[..Math.Min(12, artifact.Commit.Length)]})");
            Console.WriteLine($"  {artifact.File}");
            Console.WriteLine($"  sha256 {artifact.Sha256}");
            return 0;
        });
        return command;
    }

    public static Command Plan() => PlanVerb("plan", "show what a deploy would do, per tenant and host; changes nothing", build: false,
        (_, plan, _, _) => Task.FromResult(PlanRunner.Print(plan)));

    public static Command Deploy() => PlanVerb("deploy", "deploy ring by ring with health gates; any failure rolls the ring back", build: true, PlanRunner.RunAsync);

    /// <summary>
    /// plan and deploy plan alike; then plan prints and deploy runs. The promotion rule comes first, before anything is
    /// built or changed: deploy refuses there; plan prints its plan and then says it is blocked.
    /// </summary>
    private static Command PlanVerb(string name, string description, bool build, Func<ParseResult, DeployPlan, HostFleet, CancellationToken, Task<int>> then)
    {
        var command = new Command(name, description) { EnvironmentArgument, TenantOption, ArtifactOption, AllowDowngradeOption, PromotionGate.SkipStagingOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var scope = VerbScope.Of(parse);
            var file = parse.GetValue(ArtifactOption);
            var given = file is null ? null : Artifact.Load(file);
            var promotion = await PromotionGate.DecideAsync(scope, given, file, parse.GetValue(PromotionGate.SkipStagingOption), cancel);
            if (promotion.Refusal is { } refusal && build)
            {
                Console.Error.WriteLine($"error: {refusal}");
                return 1;
            }
            var artifact = given ?? await FromCheckoutAsync(scope.Config, build, cancel);
            var (context, fleet) = await FleetProbe.ProbeAsync(scope, cancel);
            await using var _ = fleet;
            var plan = DeployPlanner.Plan(new DeployRequest(context, artifact, SecretSource.FromMachine(scope.Config.SecretsFile), parse.GetValue(AllowDowngradeOption)))
                with { SkipStaging = promotion.SkipStaging };
            var exit = await then(parse, plan, fleet, cancel);
            if (promotion.Refusal is null) return exit;
            Console.Error.WriteLine($"blocked: {promotion.Refusal}");
            return 1;
        });
        return command;
    }

    private static readonly Option<string?> ToOption = new("--to") { Description = "the kept release to go back to (default: the one each host ran before)" };
    static DeployCommands() => ToOption.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<string?>() is { } to && !Artifact.VersionPattern().IsMatch(to)) result.AddError($"--to: '{to}' is not a version");
    });


    public static Command Rollback()
    {
        var command = new Command("rollback", "switch back to a kept release, with the same health gate; the database is left as it is")
            { EnvironmentArgument, TenantOption, ToOption, DryRunOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var to = parse.GetValue(ToOption);
            // Enough history to find what the current release replaced behind refused or abandoned runs.
            var (context, fleet) = await FleetProbe.ProbeAsync(VerbScope.Of(parse), cancel, historyLines: 500);
            await using var _ = fleet;
            var plan = RollbackPlanner.Plan(context, to);
            return parse.GetValue(DryRunOption) ? PlanRunner.Print(plan) : await PlanRunner.RunAsync(parse, plan, fleet, cancel);
        });
        return command;
    }

    private static readonly Option<string?> HostOption = new("--host") { Description = "only this host" };

    public static Command Provision()
    {
        var command = new Command("provision", "prepare hosts: tenant folders, service unit, nginx site; safe to run again") { EnvironmentArgument, HostOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var onlyHost = parse.GetValue(HostOption);
            var (context, fleet) = await FleetProbe.ProbeAsync(VerbScope.Of(parse), cancel, onlyHost: onlyHost);
            await using var _ = fleet;
            return await PlanRunner.RunAsync(parse, ProvisionPlanner.Plan(context, onlyHost), fleet, cancel);
        });
        return command;
    }

    /// <summary>The checkout as an artifact, saying first what is about to happen: a build takes a while and writes to artifacts/.</summary>
    private static async Task<Artifact> FromCheckoutAsync(DeployConfig config, bool build, CancellationToken cancel)
    {
        var repository = RepositoryOf(config);
        if (build)
        {
            Console.WriteLine($"no --artifact: building {config.Service.Project} from the checkout at {repository} into {DefaultOutput}/ first (`storagectl build` does this on its own)");
            return await ArtifactBuilder.BuildAsync(config, repository, DefaultOutput, null, TimeProvider.System, cancel);
        }
        var described = await ArtifactBuilder.DescribeCheckoutAsync(config, repository, DefaultOutput, TimeProvider.System, cancel);
        Console.WriteLine($"no --artifact: planning {described.Service} {described.Version} from the checkout at {repository} " +
                          $"(commit {described.Commit[..Math.Min(12, described.Commit.Length)]}), not built; nothing is built and nothing is changed");
        Console.WriteLine("  its sha256 and sizes are known once it is built (`storagectl build`), so the disk check counts only the free-disk margin");
        return described;
    }
}
