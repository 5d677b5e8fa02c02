namespace Storagectl.Configuration;

/// <summary>
/// This machine's environment variables, the one place storagectl reads them: secrets for tenants, who is deploying,
/// whether it runs in CI, the branches of a pull request. An empty value counts as not set.
/// </summary>
public static class MachineEnvironment
{
    public static string? Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary>Every variable as it is now, for lookups by name that must not change halfway through a plan.</summary>
    public static IReadOnlyDictionary<string, string> Snapshot() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
}
