using System.Text.RegularExpressions;
using Storagectl.Cli;
using Storagectl.Planning;

namespace Storagectl.Tests.Workflows;

/// <summary>docs/ARCHITECTURE.md names the variables, verbs and host layout as the code has them.</summary>
public sealed partial class ArchitectureDocTests
{
    private static readonly string Architecture = RepositoryFiles.Read("docs", "ARCHITECTURE.md");

    [Fact]
    public void The_variables_are_the_services_list_in_its_order()
    {
        var block = Regex.Match(Architecture, "<!-- variables:start -->(.*?)<!-- variables:end -->", RegexOptions.Singleline).Groups[1].Value;

        Backticked().Matches(block).Select(m => m.Groups[1].Value).ShouldBe(StorageApi.Configuration.KnownVariables.All);
    }

    [Fact]
    public void Every_storagectl_verb_is_named()
    {
        var verbs = Regex.Match(Architecture, @"\*\*storagectl's verbs\.\*\*(.*?)Exit codes", RegexOptions.Singleline).Groups[1].Value;
        var named = Backticked().Matches(verbs).Select(m => m.Groups[1].Value.Split(' ')[0]).ToList();

        named.Order().ShouldBe(StoragectlCommand.Create().Subcommands.Select(c => c.Name).Order());
    }

    [Fact]
    public void The_host_layout_shows_every_path_storagectl_keeps_for_a_tenant()
    {
        var layout = Regex.Match(Architecture, @"\*\*Host layout\*\*.*?```text\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        var paths = new TenantPaths("/R", "t");
        var kept = typeof(TenantPaths).GetProperties().Where(p => p.PropertyType == typeof(string) && p.Name is not ("HostRoot" or "Tenant" or "Root" or "Models"))
            .Select(p => ((string)p.GetValue(paths)!)["/R/t/".Length..])
            .Concat([paths.SlotSocket(Slot.Blue)["/R/t/".Length..], paths.SlotRelease(Slot.Green)["/R/t/".Length..]]);

        foreach (var path in kept)
        {
            var (folder, name) = (Path.GetDirectoryName(path) ?? "", Path.GetFileName(path));
            layout.ShouldContain(folder.Length == 0 ? $"<root>/<tenant>/{name}" : name, customMessage: $"{path} is missing from the host layout");
        }
        paths.Models.ShouldBe("/R/models");
        layout.ShouldContain("<root>/models/<name>-<sha12>/", customMessage: "the host's model folder is missing from the host layout");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();
}
