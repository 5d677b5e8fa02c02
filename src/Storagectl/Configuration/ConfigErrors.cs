using YamlDotNet.RepresentationModel;

namespace Storagectl.Configuration;

/// <summary>Every problem found in one configuration file, each as "file:line: key: message".</summary>
internal sealed class ConfigErrors(string file)
{
    private readonly List<(int Line, string Text)> _errors = [];

    public bool Any => _errors.Count > 0;

    public IReadOnlyList<string> All => [.. _errors.OrderBy(e => e.Line).Select(e => e.Text)];

    /// <param name="line">1-based, as YAML parsers and editors count.</param>
    public void Add(int line, string key, string message) => _errors.Add((line, $"{file}:{line}: {key}: {message}"));

    public void Add(YamlNode node, string key, string message) => Add((int)node.Start.Line, key, message);
}
