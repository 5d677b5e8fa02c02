using System.Text.RegularExpressions;

namespace Storagectl.Configuration;

/// <summary>
/// Edits deploy/storagectl.yml as text, so every comment and the file's layout stay as they are; the result is checked
/// by <see cref="DeployConfigLoader"/> before anyone writes it. (The smallest version of the two edits restore and remove
/// need: H2's ConfigEditor, with AddTenant, replaces this file.)
/// </summary>
public static partial class ConfigEditor
{
    /// <summary>The tenant now runs on <paramref name="hosts"/>, optionally on other ports.</summary>
    public static string SetTenantPlacement(string yaml, string environment, string tenant, IReadOnlyList<string> hosts, int? port = null, IReadOnlyList<int>? slotPorts = null)
    {
        var lines = Lines(yaml);
        var (start, end) = TenantBlock(lines, environment, tenant);
        var set = new List<(string Key, string Value)> { ("hosts", $"[{string.Join(", ", hosts)}]") };
        if (port is { } p) set.Add(("port", p.ToString()));
        if (slotPorts is { } s) set.Add(("slot_ports", $"[{string.Join(", ", s)}]"));
        foreach (var (key, value) in set)
        {
            var index = FindKey(lines, start + 1, end, key);
            if (index < 0) throw new ConfigException($"environments.{environment}.tenants.{tenant} has no {key}: to edit");
            var indent = Indent(lines[index]);
            var comment = CommentOf(lines[index]);
            lines[index] = $"{new string(' ', indent)}{key}: {value}{comment}";
            // A block list under the key (hosts:\n  - a) is replaced by the flow list above.
            var next = index + 1;
            while (next < end && (IsBlank(lines[next]) ? false : Indent(lines[next]) > indent)) { lines.RemoveAt(next); end--; }
        }
        return Join(lines, yaml);
    }

    /// <summary>Removes the tenant's block and its name from the environment's rings (a ring left empty goes too).</summary>
    public static string RemoveTenant(string yaml, string environment, string tenant)
    {
        var lines = Lines(yaml);
        var (start, end) = TenantBlock(lines, environment, tenant);
        // Trailing blank lines of the block belong to what follows.
        while (end - 1 > start && IsBlank(lines[end - 1])) end--;
        lines.RemoveRange(start, end - start);
        var (envStart, envEnd) = Block(lines, 0, lines.Count, ["environments", environment]);
        var rings = FindKey(lines, envStart + 1, envEnd, "rings");
        if (rings >= 0)
        {
            var name = Regex.Escape(tenant);
            string Drop(string text)
            {
                text = Regex.Replace(text, $@"(?<=[\[,]\s*){name}\s*(,\s*)?(?=[\],])", "");
                text = Regex.Replace(text, @",\s*\]", "]");
                text = Regex.Replace(text, @"\[\s*,\s*", "[");
                text = Regex.Replace(text, @"\[\s*\]\s*,\s*", "");
                text = Regex.Replace(text, @",\s*\[\s*\]", "");
                return text;
            }
            lines[rings] = Drop(lines[rings]);
            var indent = Indent(lines[rings]);
            for (var i = rings + 1; i < lines.Count && (IsBlank(lines[i]) || Indent(lines[i]) > indent); i++)
            {
                if (IsBlank(lines[i])) continue;
                lines[i] = Drop(lines[i]);
                if (EmptyRing().IsMatch(lines[i])) lines.RemoveAt(i--);
            }
        }
        return Join(lines, yaml);
    }

    [GeneratedRegex(@"^\s*-\s*\[\s*\]\s*(#.*)?$")]
    private static partial Regex EmptyRing();

    private static (int Start, int End) TenantBlock(List<string> lines, string environment, string tenant)
    {
        var (start, end) = Block(lines, 0, lines.Count, ["environments", environment, "tenants", tenant]);
        return start < 0 ? throw new ConfigException($"no tenant {tenant} in environments.{environment}.tenants to edit") : (start, end);
    }

    /// <summary>The line of the last key of <paramref name="path"/> and the end of its block (exclusive).</summary>
    private static (int Start, int End) Block(List<string> lines, int from, int to, IReadOnlyList<string> path)
    {
        var (start, end) = (from - 1, to);
        foreach (var key in path)
        {
            start = FindKey(lines, start + 1, end, key);
            if (start < 0) throw new ConfigException($"no {string.Join('.', path)} to edit");
            end = EndOf(lines, start, end);
        }
        return (start, end);
    }

    /// <summary>The first line in [from, to) that is <paramref name="key"/>: at the shallowest indentation there.</summary>
    private static int FindKey(List<string> lines, int from, int to, string key)
    {
        int? depth = null;
        for (var i = from; i < to; i++)
        {
            if (IsBlank(lines[i])) continue;
            var indent = Indent(lines[i]);
            depth ??= indent;
            if (indent < depth) break;
            if (indent == depth && KeyOf(lines[i]) == key) return i;
        }
        return -1;
    }

    private static int EndOf(List<string> lines, int start, int to)
    {
        var indent = Indent(lines[start]);
        var end = start + 1;
        for (var i = start + 1; i < to; i++)
        {
            if (IsBlank(lines[i])) continue;
            if (Indent(lines[i]) <= indent) break;
            end = i + 1;
        }
        // Blank and comment lines right after the block's last line stay with it only up to the next key.
        return end;
    }

    private static string? KeyOf(string line)
    {
        var match = KeyPattern().Match(line);
        return match.Success ? match.Groups[1].Value.Trim('"', '\'') : null;
    }

    [GeneratedRegex(@"^\s*([A-Za-z0-9_.""'-]+)\s*:(\s|$)")]
    private static partial Regex KeyPattern();

    private static string CommentOf(string line)
    {
        var match = Regex.Match(line, @"\s+#[^\]\}'""]*$");
        return match.Success ? match.Value : "";
    }

    private static bool IsBlank(string line) => line.Trim().Length == 0 || line.TrimStart().StartsWith('#');

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static List<string> Lines(string yaml) => [.. yaml.Replace("\r\n", "\n").Split('\n')];

    private static string Join(List<string> lines, string original) =>
        string.Join(original.Contains("\r\n") ? "\r\n" : "\n", lines);
}
