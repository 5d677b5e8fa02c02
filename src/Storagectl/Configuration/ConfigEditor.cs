using System.Text.RegularExpressions;

namespace Storagectl.Configuration;

/// <summary>
/// Edits deploy/storagectl.yml as text, line by line, so every comment and the file's layout stay as they were.
/// (The smallest version `tenant move` needs: `tenant add` brings the full editor.)
/// </summary>
public static partial class ConfigEditor
{
    /// <summary>
    /// The tenant's hosts, and its port and slot ports when given, written in place of the ones the file has
    /// (a flow list <c>[a, b]</c> or a block list); a key the tenant lacks is added after its last line.
    /// </summary>
    public static string SetTenantPlacement(string yaml, string environment, string tenant, IReadOnlyList<string> hosts, int? port = null, IReadOnlyList<int>? slotPorts = null)
    {
        var newline = yaml.Contains("\r\n") ? "\r\n" : "\n";
        var lines = yaml.Split(newline).ToList();
        var (start, end) = (0, lines.Count);
        var indent = -1;
        foreach (var key in new[] { "environments", environment, "tenants", tenant })
        {
            var at = FindKey(lines, start, end, key, indent)
                     ?? throw new ConfigException($"cannot find {string.Join(" > ", new[] { "environments", environment, "tenants", tenant }.TakeWhile(k => k != key).Append(key))} in the configuration");
            indent = IndentOf(lines[at]);
            (start, end) = (at + 1, BlockEnd(lines, at + 1, end, indent));
        }
        Set(lines, ref end, start, indent, "hosts", FlowList(hosts));
        if (port is { } p) Set(lines, ref end, start, indent, "port", p.ToString());
        if (slotPorts is { Count: > 0 }) Set(lines, ref end, start, indent, "slot_ports", FlowList(slotPorts.Select(s => s.ToString())));
        return string.Join(newline, lines);
    }

    private static string FlowList(IEnumerable<string> items) => $"[{string.Join(", ", items)}]";

    /// <summary>Replaces the value of <paramref name="key"/> directly under the block (a block list below it goes too), or adds the key.</summary>
    private static void Set(List<string> lines, ref int end, int start, int parentIndent, string key, string value)
    {
        if (FindKey(lines, start, end, key, parentIndent) is { } at)
        {
            var match = KeyLine().Match(lines[at]);
            var comment = match.Groups["comment"].Success ? (match.Groups["gap"].Value is { Length: > 0 } gap ? gap : " ") + match.Groups["comment"].Value : "";
            lines[at] = $"{match.Groups["indent"].Value}{key}: {value}{comment}";
            // A block list (`- item` lines) under the key is replaced by the flow value.
            var next = at + 1;
            while (next < end && (lines[next].TrimStart().StartsWith("- ") || lines[next].Trim() == "-") && IndentOf(lines[next]) >= IndentOf(lines[at]))
            {
                lines.RemoveAt(next);
                end--;
            }
            return;
        }
        var childIndent = ChildIndent(lines, start, end) ?? new string(' ', parentIndent + 2);
        var last = end;
        while (last > start && IsBlankOrComment(lines[last - 1])) last--;
        lines.Insert(last, $"{childIndent}{key}: {value}");
        end++;
    }

    /// <summary>The line of <paramref name="key"/> at the first indent deeper than <paramref name="parentIndent"/> in [start, end).</summary>
    private static int? FindKey(List<string> lines, int start, int end, string key, int parentIndent)
    {
        var childIndent = ChildIndent(lines, start, end, parentIndent);
        for (var i = start; i < end; i++)
        {
            if (IsBlankOrComment(lines[i])) continue;
            var match = KeyLine().Match(lines[i]);
            if (match.Success && match.Groups["key"].Value.Trim('"', '\'') == key && match.Groups["indent"].Value == childIndent) return i;
        }
        return null;
    }

    private static string? ChildIndent(List<string> lines, int start, int end, int parentIndent = -1)
    {
        for (var i = start; i < end; i++)
            if (!IsBlankOrComment(lines[i]) && IndentOf(lines[i]) > parentIndent) return lines[i][..IndentOf(lines[i])];
        return null;
    }

    /// <summary>The first line after <paramref name="from"/> that is less or as deeply indented as the key's (blank lines and comments belong to the block).</summary>
    private static int BlockEnd(List<string> lines, int from, int end, int keyIndent)
    {
        for (var i = from; i < end; i++)
            if (!IsBlankOrComment(lines[i]) && IndentOf(lines[i]) <= keyIndent) return i;
        return end;
    }

    private static bool IsBlankOrComment(string line) => line.Trim().Length == 0 || line.TrimStart().StartsWith('#');

    private static int IndentOf(string line) => line.Length - line.TrimStart(' ').Length;

    [GeneratedRegex(@"^(?<indent> *)(?<key>[^\s:#][^:#]*?|""[^""]*""|'[^']*'):(?:\s+(?<value>[^#]*?))?(?<gap>\s*)(?<comment>#.*)?$")]
    private static partial Regex KeyLine();
}
