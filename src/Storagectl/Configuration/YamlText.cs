using System.Text;
using YamlDotNet.RepresentationModel;

namespace Storagectl.Configuration;

/// <summary>One replacement in a text: the characters from <paramref name="Start"/> to <paramref name="End"/> become <paramref name="Text"/>.</summary>
internal sealed record TextEdit(int Start, int End, string Text);

/// <summary>
/// Where YAML nodes are in their text, for edits that splice text in and leave every other byte alone. YamlDotNet gives
/// each scalar its start and end, but a collection's end mark is its start, so ends are found from the leaves: the
/// last scalar of a block collection, or the bracket that closes a flow one.
/// </summary>
internal static class YamlText
{
    public static YamlMappingNode Root(string yaml, string file)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlDotNet.Core.YamlException e) { throw new ConfigException($"{file}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}"); }
        return stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode ?? throw new ConfigException($"{file}:1: the file must be a mapping with hosts and environments");
    }

    public static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static YamlScalarNode? KeyOf(YamlMappingNode mapping, string key) =>
        mapping.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == key);

    public static int Start(YamlNode node) => (int)node.Start.Index;

    /// <summary>The column (0-based) a node starts at.</summary>
    public static int Column(YamlNode node) => (int)node.Start.Column - 1;

    public static bool IsFlow(YamlNode node) =>
        node is YamlMappingNode { Style: YamlDotNet.Core.Events.MappingStyle.Flow } or YamlSequenceNode { Style: YamlDotNet.Core.Events.SequenceStyle.Flow };

    /// <summary>Just after the node's last character: a scalar's end, a flow collection's closing bracket, a block collection's last leaf.</summary>
    public static int End(string text, YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return (int)scalar.End.Index;
            case YamlSequenceNode sequence:
            {
                var last = sequence.Children.Count == 0 ? Start(sequence) + 1 : End(text, sequence.Children[^1]);
                return IsFlow(sequence) ? Closer(text, last, ']') : last;
            }
            case YamlMappingNode mapping:
            {
                var last = mapping.Children.Count == 0 ? Start(mapping) + 1
                    : mapping.Children.Max(c => Math.Max(End(text, c.Key), End(text, c.Value)));
                return IsFlow(mapping) ? Closer(text, last, '}') : last;
            }
            default:
                return (int)node.End.Index;
        }
    }

    private static int Closer(string text, int from, char closer)
    {
        var at = text.IndexOf(closer, Math.Min(from, text.Length));
        return at < 0 ? text.Length : at + 1;
    }

    /// <summary>The start of the line that <paramref name="index"/> is on.</summary>
    public static int LineStart(string text, int index) => index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;

    /// <summary>The start of the line after the one <paramref name="index"/> is on (a trailing comment stays with its line).</summary>
    public static int NextLine(string text, int index)
    {
        var newline = text.IndexOf('\n', Math.Min(index, text.Length));
        return newline < 0 ? text.Length : newline + 1;
    }

    /// <summary>The whole lines a node takes, from the start of its key's line to the end of its last line.</summary>
    public static TextEdit RemoveLines(string text, YamlNode first, YamlNode last) => new(LineStart(text, Start(first)), NextLine(text, End(text, last)), "");

    public static string NewLine(string text) => text.Contains("\r\n") ? "\r\n" : "\n";

    /// <summary>Applies edits that do not overlap, from the end of the text backwards so earlier positions stay valid.</summary>
    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        var result = new StringBuilder(text);
        foreach (var edit in edits.OrderByDescending(e => e.Start))
        {
            result.Remove(edit.Start, edit.End - edit.Start);
            result.Insert(edit.Start, edit.Text);
        }
        return result.ToString();
    }

    /// <summary>A scalar as YAML reads it back: plain when that is safe, else double-quoted with escapes.</summary>
    public static string Scalar(string value, bool inFlow)
    {
        if (IsPlainSafe(value, inFlow)) return value;
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        return quoted.Append('"').ToString();
    }

    private static bool IsPlainSafe(string value, bool inFlow)
    {
        if (value.Length == 0 || value != value.Trim()) return false;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0])) return false;
        if (value.Any(char.IsControl) || value.Contains(": ") || value.Contains(" #") || value.EndsWith(':')) return false;
        if (inFlow && value.Any(c => c is ',' or '[' or ']' or '{' or '}' or ':')) return false;
        // Words YAML would read as something else are fine here (the loader reads text), but quoted they read as meant.
        return value is not ("~" or "null" or "Null" or "NULL");
    }
}
