using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Cli;

/// <summary>Options every verb shares and the small things verbs need from them.</summary>
public static class CliContext
{
    public static readonly Option<string> ConfigOption = new("--config", "-c")
    {
        Description = "the deploy configuration",
        DefaultValueFactory = _ => Path.Combine("deploy", "storagectl.yml"),
        Recursive = true,
    };

    public static readonly Option<bool> PlainOption = new("--plain")
    {
        Description = "plain log lines without colour (CI does this automatically)",
        Recursive = true,
    };

    public static readonly Option<string?> TenantOption = new("--tenant", "-t") { Description = "only this tenant" };

    public static readonly Argument<string> EnvironmentArgument = new("environment") { Description = "staging, production, …" };

    public static DeployConfig LoadConfig(ParseResult parse) => DeployConfigLoader.Load(parse.GetValue(ConfigOption)!);

    /// <summary>The folder the configuration belongs to: the repository root when it lives in deploy/.</summary>
    public static string RepositoryOf(DeployConfig config)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(config.SourceFile))!;
        return Path.GetFileName(directory) == "deploy" ? Path.GetDirectoryName(directory)! : directory;
    }

    /// <summary>The --tenant given, checked against the environment; null when none was given.</summary>
    public static string? TenantOf(ParseResult parse, EnvironmentConfig environment) =>
        parse.GetValue(TenantOption) is not { } tenant || environment.Tenants.ContainsKey(tenant) ? parse.GetValue(TenantOption)
            : throw new ConfigException($"{environment.Name} has no tenant '{tenant}' (known: {string.Join(", ", environment.Tenants.Keys)})");

    /// <summary>
    /// Reads every host of the environment (or of one tenant) into a plan context. The fleet's connections stay open
    /// for the verb to use; the caller disposes it.
    /// </summary>
    public static async Task<(PlanContext Context, HostFleet Fleet)> ProbeAsync(ParseResult parse, CancellationToken cancel, int historyLines = HostState.RecentHistory)
    {
        var config = LoadConfig(parse);
        var environment = config.Environment(parse.GetValue(EnvironmentArgument)!);
        var tenant = TenantOf(parse, environment);
        var fleet = new HostFleet(config);
        try
        {
            var states = await fleet.ProbeAsync(environment, tenant, cancel, historyLines);
            return (new PlanContext(config, environment, states, Who(), DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N"), tenant), fleet);
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a plan that is not blocked and says how it ended; exit code 0 or 1.</summary>
    public static async Task<int> ExecuteAsync(ParseResult parse, DeployPlan plan, HostFleet fleet, CancellationToken cancel)
    {
        if (plan.Blockers.Count > 0)
        {
            foreach (var blocker in plan.Blockers) Console.Error.WriteLine($"error: {blocker}");
            return 1;
        }
        if (plan.Artifact is { IsBuilt: false }) throw new InvalidOperationException("an artifact that was only described cannot be deployed");
        var config = LoadConfig(parse);
        var what = plan.Artifact is { } artifact ? $"deploy of {artifact.Version} to {plan.Environment}" : $"rollback of {plan.Environment}";
        // Say where each target goes (and why, when that was a choice) before anything runs.
        foreach (var target in plan.Targets) Console.WriteLine($"{plan.Kind} {target.Change}");
        var outcome = await WithReporterAsync(parse, reporter =>
            new DeployExecutor(t => fleet.For(t.Host), config.Health, reporter, TimeProvider.System).RunAsync(plan, cancel));
        var targets = string.Join(", ", plan.Targets.Select(t => $"{t.Name} {t.FromVersion ?? "(nothing)"} -> {t.ToVersion}"));
        Console.WriteLine(outcome.Succeeded ? $"{what} done: {targets}"
            : outcome.Targets.All(t => t.Outcome == DeployRecord.Refused) ? $"{what} refused, nothing changed: {outcome.FirstError}"
            : $"{what} failed; the failed ring is back on the versions it ran before: {outcome.FirstError}");
        return outcome.Succeeded ? 0 : 1;
    }

    /// <summary>Plain output when asked, in CI, or when the output goes to a file or pipe.</summary>
    public static bool IsPlain(ParseResult parse) =>
        parse.GetValue(PlainOption) || Console.IsOutputRedirected || Environment.GetEnvironmentVariable("CI") is not null;

    /// <summary>Runs work that reports progress: plain lines for logs, or a live table at a terminal.</summary>
    public static Task<T> WithReporterAsync<T>(ParseResult parse, Func<IDeployReporter, Task<T>> work)
    {
        if (IsPlain(parse)) return work(new PlainReporter(Console.Out));
        var live = new LiveReporter();
        return live.ShowWhileAsync(() => work(live));
    }

    /// <summary>Prints a plan and what blocks it; exit code 1 when something does.</summary>
    public static int PrintPlan(DeployPlan plan)
    {
        Console.Write(plan.Print());
        foreach (var blocker in plan.Blockers) Console.Error.WriteLine($"blocked: {blocker}");
        return plan.Blockers.Count == 0 ? 0 : 1;
    }

    /// <summary>Who deploys, as recorded in locks and history: set explicitly, the CI actor, or user@machine.</summary>
    public static string Who() =>
        Environment.GetEnvironmentVariable("STORAGECTL_WHO") is { Length: > 0 } who ? who
        : Environment.GetEnvironmentVariable("GITHUB_ACTOR") is { Length: > 0 } actor ? $"{actor} (ci)"
        : $"{Environment.UserName}@{Environment.MachineName}";

    /// <summary>Runs a verb body, turning the errors people can act on into one line and exit code 1.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is ConfigException or Planning.ArtifactException or Releases.ReleaseException or HostUnreachableException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
