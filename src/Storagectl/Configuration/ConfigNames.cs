using StorageApi.Configuration;

namespace Storagectl.Configuration;

/// <summary>How names are spelled in the YAML file and how a misspelling is matched to what was meant.</summary>
public static class ConfigNames
{
    /// <summary>ServiceManager.Systemd -> "systemd", ProxyKind.None -> "none", BlueGreen -> "blue-green".</summary>
    public static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The candidate within two edits of <paramref name="name"/>, or null.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates) =>
        candidates.Select(c => (Candidate: c, Distance: KnownVariables.EditDistance(name, c))).Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance).Select(c => c.Candidate).FirstOrDefault();
}
