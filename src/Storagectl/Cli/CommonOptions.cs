using System.CommandLine;
using Storagectl.Configuration;

namespace Storagectl.Cli;

/// <summary>The options and the argument many verbs share.</summary>
public static class CommonOptions
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

    /// <summary>Every verb that runs a plan can print it instead.</summary>
    public static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "print the plan and change nothing" };

    public static readonly Argument<string> EnvironmentArgument = new("environment") { Description = "staging, production, …" };

    /// <summary>The configuration --config names, read and checked.</summary>
    public static DeployConfig LoadConfig(ParseResult parse) => DeployConfigLoader.Load(parse.GetValue(ConfigOption)!);

    /// <summary>The folder the configuration belongs to: the repository root when it lives in deploy/.</summary>
    public static string RepositoryOf(DeployConfig config)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(config.SourceFile))!;
        return Path.GetFileName(directory) == "deploy" ? Path.GetDirectoryName(directory)! : directory;
    }
}
