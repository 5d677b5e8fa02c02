using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Storagectl.Configuration;

/// <summary>
/// One YAML mapping being read into the model. Every read is remembered so that <see cref="RejectUnknownKeys"/>
/// can name each key nobody asked for; every problem is added to <see cref="ConfigErrors"/> with file, line and key.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly ConfigErrors _errors;
    private readonly HashSet<string> _read = [];

    /// <param name="line">Where the section's own key is, so "is required" points at the parent, not at a sibling.</param>
    public YamlSection(YamlMappingNode node, string path, ConfigErrors errors, int line = 1)
    {
        _node = node;
        Path = path;
        _errors = errors;
        Line = line;
    }

    /// <summary>The dotted key path of this section, e.g. <c>environments.production.tenants.acme</c>.</summary>
    public string Path { get; }

    public int Line { get; }

    public IEnumerable<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public string KeyPath(string key) => key.Length == 0 ? Path : Path.Length == 0 ? key : $"{Path}.{key}";

    public void Error(string key, string message) => _errors.Add(LineOf(key), KeyPath(key), message);

    public string? String(string key, bool required = false, string? fallback = null)
    {
        var node = Get(key);
        if (node is null)
        {
            if (required) _errors.Add(Line, KeyPath(key), "is required");
            return fallback;
        }
        if (node is YamlScalarNode scalar && !string.IsNullOrWhiteSpace(scalar.Value)) return scalar.Value!.Trim();
        _errors.Add(node, KeyPath(key), "must be a non-empty text");
        return fallback;
    }

    public int Int(string key, int fallback, int min, int max, bool required = false)
    {
        var text = String(key, required);
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        Error(key, $"must be a whole number from {min} to {max}, not '{text}'");
        return fallback;
    }

    /// <summary>A decimal number (0.2, 1, 2.5) from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public double Number(string key, double fallback, double min, double max)
    {
        var text = String(key);
        if (text is null) return fallback;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        Error(key, $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'");
        return fallback;
    }

    public double Fraction(string key, double fallback)
    {
        var text = String(key);
        if (text is null) return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1) return value;
        Error(key, $"must be a number from 0 to 1, not '{text}'");
        return fallback;
    }

    public bool Bool(string key, bool fallback)
    {
        var text = String(key);
        if (text is null) return fallback;
        if (text is "true" or "false") return text == "true";
        Error(key, $"must be true or false, not '{text}'");
        return fallback;
    }

    public T Choice<T>(string key, T fallback) where T : struct, Enum
    {
        var text = String(key);
        if (text is null) return fallback;
        var names = Enum.GetNames<T>().Select(ConfigNames.Kebab).ToArray();
        var index = Array.IndexOf(names, text);
        if (index >= 0) return Enum.GetValues<T>()[index];
        Error(key, $"must be one of {string.Join(", ", names)}, not '{text}'");
        return fallback;
    }

    public YamlSection? Section(string key, bool required = false)
    {
        var node = Get(key);
        if (node is null)
        {
            if (required) _errors.Add(Line, KeyPath(key), "is required");
            return null;
        }
        if (node is YamlMappingNode mapping) return new YamlSection(mapping, KeyPath(key), _errors, LineOf(key));
        _errors.Add(node, KeyPath(key), "must be a mapping of keys to values");
        return null;
    }

    /// <summary>Every child of a mapping whose keys are names chosen by the user (hosts, tenants…).</summary>
    public IReadOnlyList<(string Name, YamlSection Section)> NamedSections(string key, bool required = false)
    {
        var parent = Section(key, required);
        if (parent is null) return [];
        var result = new List<(string, YamlSection)>();
        foreach (var name in parent.Keys.ToList())
        {
            var child = parent.Section(name);
            if (child is not null) result.Add((name, child));
        }
        return result;
    }

    /// <summary>This whole mapping as text to text, such as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Texts()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Keys.ToList())
        {
            var node = Get(name);
            if (node is YamlScalarNode { Value: not null } scalar) result[name] = scalar.Value;
            else _errors.Add(node!, KeyPath(name), "must be a text value");
        }
        return result;
    }

    public IReadOnlyList<string> List(string key, bool required = false)
    {
        var node = Get(key);
        if (node is null)
        {
            if (required) _errors.Add(Line, KeyPath(key), "is required");
            return [];
        }
        if (node is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode { Value.Length: > 0 }))
            return [.. sequence.Children.Cast<YamlScalarNode>().Select(c => c.Value!)];
        _errors.Add(node, KeyPath(key), "must be a list of names");
        return [];
    }

    /// <summary>A list of lists of names, e.g. rollout rings.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ListOfLists(string key)
    {
        var node = Get(key);
        if (node is null) return [];
        if (node is YamlSequenceNode sequence && sequence.Children.All(c =>
                c is YamlSequenceNode inner && inner.Children.Count > 0 && inner.Children.All(i => i is YamlScalarNode { Value.Length: > 0 })))
            return [.. sequence.Children.Cast<YamlSequenceNode>().Select(inner => (IReadOnlyList<string>)[.. inner.Children.Cast<YamlScalarNode>().Select(s => s.Value!)])];
        _errors.Add(node, KeyPath(key), "must be a list of non-empty lists of names, e.g. [[staging], [acme], [globex, initech]]");
        return [];
    }

    public void RejectUnknownKeys()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (_read.Contains(key)) continue;
            var hint = ConfigNames.Closest(key, _read);
            _errors.Add(keyNode, KeyPath(key), hint is null ? "is not a known key" : $"is not a known key (did you mean '{hint}'?)");
        }
    }

    private YamlNode? Get(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
    }

    private int LineOf(string key) =>
        _node.Children.Keys.FirstOrDefault(k => (k as YamlScalarNode)?.Value == key) is { } keyNode ? (int)keyNode.Start.Line : Line;
}
