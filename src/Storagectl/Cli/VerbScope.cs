using System.CommandLine;
using Storagectl.Configuration;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>What a verb acts on: the configuration (read once per run), the environment it names and the --tenant given.</summary>
public sealed record VerbScope(DeployConfig Config, EnvironmentConfig Environment, string? Tenant)
{
    public static VerbScope Of(ParseResult parse)
    {
        var config = LoadConfig(parse);
        var environment = config.Environment(parse.GetValue(EnvironmentArgument)!);
        return new VerbScope(config, environment, TenantOf(parse, environment));
    }

    /// <summary>The --tenant given, checked against the environment; null when none was given.</summary>
    private static string? TenantOf(ParseResult parse, EnvironmentConfig environment) =>
        parse.GetValue(TenantOption) is not { } tenant || environment.Tenants.ContainsKey(tenant) ? parse.GetValue(TenantOption)
            : throw new ConfigException($"{environment.Name} has no tenant '{tenant}' (known: {string.Join(", ", environment.Tenants.Keys)})");
}
