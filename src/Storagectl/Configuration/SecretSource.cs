using DotEnv;

namespace Storagectl.Configuration;

/// <summary>
/// Where secret values come from on the deploying machine: its environment (CI secrets), else a KEY=value file kept
/// outside the repository. The environment wins, as it does for the service itself.
/// </summary>
public sealed class SecretSource(IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string> file)
{
    public static SecretSource FromMachine(string? secretsFile)
    {
        var environment = System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        return new SecretSource(environment, secretsFile is null ? new Dictionary<string, string>() : ReadFile(secretsFile));
    }

    /// <summary>
    /// The secrets file in the same dotenv dialect as the service's shared/.env (quotes, comments, export), so a value
    /// copied between them means the same. A malformed file stops the run: a secret half-read is worse than none.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadFile(string secretsFile)
    {
        var document = DotEnvParser.ReadFile(secretsFile);
        if (document.Errors.Count > 0) throw new ConfigException(string.Join(System.Environment.NewLine, document.Errors));
        return document.Values;
    }

    /// <summary>The tenant's secret values by service variable, and the names of the source variables that are missing.</summary>
    public (IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Missing) Resolve(TenantConfig tenant)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (variable, source) in tenant.Secrets)
        {
            if (environment.TryGetValue(source, out var value) && value.Length > 0) values[variable] = value;
            else if (file.TryGetValue(source, out value) && value.Length > 0) values[variable] = value;
            else missing.Add(source);
        }
        return (values, missing);
    }
}
