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
        var file = new Dictionary<string, string>();
        if (secretsFile is not null && File.Exists(secretsFile))
            foreach (var line in File.ReadAllLines(secretsFile))
            {
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed.StartsWith('#') || !trimmed.Contains('=')) continue;
                var separator = trimmed.IndexOf('=');
                file[trimmed[..separator].Trim()] = trimmed[(separator + 1)..].Trim().Trim('"');
            }
        return new SecretSource(environment, file);
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
