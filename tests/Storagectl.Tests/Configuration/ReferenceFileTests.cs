using System.Text.RegularExpressions;
using Storagectl.Configuration;
using Storagectl.Tests.Workflows;
using YamlDotNet.RepresentationModel;

namespace Storagectl.Tests.Configuration;

/// <summary>
/// docs/storagectl.reference.yml documents every key of deploy/storagectl.yml: it must load with the real loader (so it
/// names no key the loader does not know, with no invalid value), hold every key the loader reads, and explain each.
/// </summary>
public sealed partial class ReferenceFileTests
{
    private static readonly string Reference = RepositoryFiles.PathOf("docs", "storagectl.reference.yml");

    [Fact]
    public void The_reference_loads_without_an_error()
    {
        var config = DeployConfigLoader.Load(Reference);

        config.Environment("production").Tenants["acme"].PublicUrl.ShouldBe("https://files.acme.example");
    }

    [Fact]
    public void Every_key_the_loader_reads_is_in_the_reference_with_a_comment()
    {
        var loaderKeys = KeyRead().Matches(RepositoryFiles.Read("src", "Storagectl", "Configuration", "DeployConfigLoader.cs"))
            .Select(m => m.Groups["key"].Value).ToHashSet();
        var lines = File.ReadAllLines(Reference);

        loaderKeys.Count.ShouldBeGreaterThan(30, "the pattern should find the loader's reads");
        var missing = loaderKeys.Where(key => !lines.Any(line => KeyLine(key).IsMatch(line))).ToList();
        missing.ShouldBeEmpty("keys the loader reads that docs/storagectl.reference.yml does not show");
        foreach (var key in loaderKeys)
        {
            var at = Array.FindIndex(lines, line => KeyLine(key).IsMatch(line));
            (lines[at].Contains(" # ") || lines[at - 1].TrimStart().StartsWith('#')).ShouldBeTrue($"'{key}' has no comment saying what it is");
        }
    }

    [Fact]
    public void The_reference_uses_no_key_the_loader_does_not_read()
    {
        var loaderKeys = KeyRead().Matches(RepositoryFiles.Read("src", "Storagectl", "Configuration", "DeployConfigLoader.cs"))
            .Select(m => m.Groups["key"].Value).ToHashSet();
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Reference)));

        // Names chosen by the user (hosts, environments, tenants, variables) are not keys of the format.
        var keys = FixedKeys((YamlMappingNode)yaml.Documents[0].RootNode).ToList();
        keys.Where(k => !loaderKeys.Contains(k)).ShouldBeEmpty();
    }

    private static IEnumerable<string> FixedKeys(YamlMappingNode node)
    {
        foreach (var (key, value) in node.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            yield return name;
            if (value is not YamlMappingNode child) continue;
            var named = name is "hosts" or "environments" or "tenants";
            if (name is "env" or "secrets") continue;
            foreach (var inner in named ? child.Children.Values.OfType<YamlMappingNode>().SelectMany(FixedKeys) : FixedKeys(child))
                yield return inner;
        }
    }

    private static Regex KeyLine(string key) => new($@"^\s*{Regex.Escape(key)}:");

    [GeneratedRegex(@"\.(?:String|Int|Number|Fraction|Bool|Choice|Section|NamedSections|List|ListOfLists)\(""(?<key>[a-z_]+)""")]
    private static partial Regex KeyRead();
}
