using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.Hosts;

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

    public static IDeployReporter Reporter(ParseResult parse) =>
        parse.GetValue(PlainOption) || Console.IsOutputRedirected || Environment.GetEnvironmentVariable("CI") is not null
            ? new PlainReporter(Console.Out)
            : new ConsoleReporter();

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
