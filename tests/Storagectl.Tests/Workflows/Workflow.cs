using YamlDotNet.RepresentationModel;

namespace Storagectl.Tests.Workflows;

/// <summary>
/// A GitHub Actions workflow read as plain YAML nodes rather than deserialized into types: every scalar stays a string,
/// so the trigger key is the string "on" (a YAML 1.1 reader could turn it into the boolean true).
/// </summary>
public sealed class Workflow
{
    private Workflow(string name, string text, YamlMappingNode root)
    {
        Name = name;
        Text = text;
        Root = root;
        Jobs = root.Map("jobs").Children.ToDictionary(j => ((YamlScalarNode)j.Key).Value!, j => new Job(((YamlScalarNode)j.Key).Value!, (YamlMappingNode)j.Value));
    }

    public string Name { get; }
    public string Text { get; }
    public YamlMappingNode Root { get; }
    public IReadOnlyDictionary<string, Job> Jobs { get; }
    public YamlMappingNode Triggers => Root.Map("on");
    public IEnumerable<Step> Steps => Jobs.Values.SelectMany(j => j.Steps);

    public static Workflow Load(string fileName)
    {
        var text = RepositoryFiles.Read(".github", "workflows", fileName);
        return new Workflow(fileName, text, Parse(text));
    }

    /// <summary>The one YAML document of a file's text, e.g. .github/dependabot.yml.</summary>
    public static YamlMappingNode Parse(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }
}

public sealed record Job(string Name, YamlMappingNode Node)
{
    public string? If => Node.Scalar("if");
    public IReadOnlyList<string> Needs => Node.Strings("needs");
    /// <summary>A reusable workflow this job calls instead of having steps (`uses: ./.github/workflows/ci.yml`).</summary>
    public string? Uses => Node.Scalar("uses");
    public string? RunsOn => Node.Scalar("runs-on");
    public string? TimeoutMinutes => Node.Scalar("timeout-minutes");
    public string? Environment => Node.Scalar("environment") ?? Node.MapOrNull("environment")?.Scalar("name");
    public YamlMappingNode? Concurrency => Node.MapOrNull("concurrency");
    public YamlMappingNode? Permissions => Node.MapOrNull("permissions");
    public IReadOnlyList<Step> Steps => Node.Children.TryGetValue("steps", out var steps)
        ? [.. ((YamlSequenceNode)steps).Children.Select(s => new Step(Name, (YamlMappingNode)s))]
        : [];

    /// <summary>The jobs this one waits for, directly or through the jobs they wait for.</summary>
    public IReadOnlySet<string> NeedsTransitively(Workflow workflow)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>(Needs);
        while (pending.TryPop(out var name))
            if (seen.Add(name))
                foreach (var next in workflow.Jobs[name].Needs) pending.Push(next);
        return seen;
    }
}

public sealed record Step(string Job, YamlMappingNode Node)
{
    public string? Name => Node.Scalar("name");
    public string? Id => Node.Scalar("id");
    public string? Uses => Node.Scalar("uses");
    public string? Run => Node.Scalar("run");
    public string? If => Node.Scalar("if");
    public IReadOnlyDictionary<string, string> Env => Node.Pairs("env");
    public IReadOnlyDictionary<string, string> With => Node.Pairs("with");

    /// <summary>Whether this step uses the action (`actions/checkout`), whatever version or commit it is pinned to.</summary>
    public bool UsesAction(string action) => Uses?.StartsWith(action + "@", StringComparison.Ordinal) == true;

    public override string ToString() => $"{Job}: {Name ?? Uses ?? Run}";
}

/// <summary>Reading a workflow's nodes by key; a missing key is null or empty, a key of the wrong shape throws.</summary>
public static class YamlNodes
{
    public static YamlMappingNode Map(this YamlMappingNode node, string key) =>
        node.MapOrNull(key) ?? throw new KeyNotFoundException($"no mapping '{key}' at line {node.Start.Line}");

    public static YamlMappingNode? MapOrNull(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? value as YamlMappingNode : null;

    public static IReadOnlyList<string> Keys(this YamlMappingNode node) => [.. node.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!)];

    public static string? Scalar(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>A scalar or a sequence of scalars (`needs: build` or `needs: [build, test]`) as a list.</summary>
    public static IReadOnlyList<string> Strings(this YamlMappingNode node, string key) =>
        !node.Children.TryGetValue(key, out var value) ? []
        : value is YamlSequenceNode sequence ? [.. sequence.Children.Cast<YamlScalarNode>().Select(s => s.Value!)]
        : [((YamlScalarNode)value).Value!];

    public static IReadOnlyDictionary<string, string> Pairs(this YamlMappingNode node, string key) =>
        node.MapOrNull(key)?.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "")
        ?? new Dictionary<string, string>();
}
