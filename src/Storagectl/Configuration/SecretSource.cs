using DotEnv;

namespace Storagectl.Configuration;

/// <summary>Where one of a tenant's secrets comes from on this machine; never its value.</summary>
/// <param name="Variable">The service variable, e.g. SIGNING_KEY.</param>
/// <param name="Source">The variable on this machine that holds it, e.g. ACME_SIGNING_KEY.</param>
/// <param name="FoundIn">"the environment" or the secrets file's path; null when it is not set (or empty) in either.</param>
public sealed record SecretOrigin(string Variable, string Source, string? FoundIn);

/// <summary>
/// Where secret values come from on the deploying machine: its environment (CI secrets), else a KEY=value file kept
/// outside the repository. The environment wins, as it does for the service itself.
/// </summary>
/// <param name="filePath">The secrets file the configuration names (null when it names none), to say where a secret was looked for.</param>
public sealed class SecretSource(IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string> file, string? filePath = null)
{
    public const string InEnvironment = "the environment";

    public static SecretSource FromMachine(string? secretsFile)
    {
        var environment = MachineEnvironment.Snapshot();
        return new SecretSource(environment, secretsFile is null ? new Dictionary<string, string>() : ReadFile(secretsFile), secretsFile);
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

    /// <summary>Where a missing secret was looked for, as plans say it.</summary>
    public string SearchedPlaces => filePath is null ? $"{InEnvironment}; the configuration names no secrets_file"
        : File.Exists(filePath) ? $"{InEnvironment} and in {filePath}"
        : $"{InEnvironment} and in {filePath}, which does not exist";

    /// <summary>The tenant's secret values by service variable, and the names of the source variables that are missing.</summary>
    public (IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Missing) Resolve(TenantConfig tenant)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (variable, source) in tenant.Secrets)
        {
            if (Lookup(source) is { } value) values[variable] = value.Value;
            else missing.Add(source);
        }
        return (values, missing);
    }

    /// <summary>Where each of the tenant's secrets is found, in the order the configuration lists them.</summary>
    public IReadOnlyList<SecretOrigin> Origins(TenantConfig tenant) =>
        [.. tenant.Secrets.Select(s => new SecretOrigin(s.Key, s.Value, Lookup(s.Value)?.FoundIn))];

    private (string Value, string FoundIn)? Lookup(string source) =>
        environment.TryGetValue(source, out var value) && value.Length > 0 ? (value, InEnvironment)
        : file.TryGetValue(source, out value) && value.Length > 0 ? (value, filePath ?? "the secrets file")
        : null;
}
