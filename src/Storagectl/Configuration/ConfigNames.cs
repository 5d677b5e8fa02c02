namespace Storagectl.Configuration;

/// <summary>How names are spelled in the YAML file and how a misspelling is matched to what was meant.</summary>
public static class ConfigNames
{
    /// <summary>ServiceManager.Systemd -> "systemd", ProxyKind.None -> "none", BlueGreen -> "blue-green".</summary>
    public static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The candidate within two edits of <paramref name="name"/>, or null.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates) =>
        candidates.Select(c => (Candidate: c, Distance: Distance(name, c))).Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance).Select(c => c.Candidate).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
