using YamlDotNet.RepresentationModel;

namespace Storagectl.Tests.Workflows;

/// <summary>.github/dependabot.yml: weekly pull requests for the pinned actions, the NuGet packages and the npm tools CI installs.</summary>
public sealed class DependabotTests
{
    private static readonly YamlMappingNode Config = Workflow.Parse(RepositoryFiles.Read(".github", "dependabot.yml"));

    private static IReadOnlyList<YamlMappingNode> Updates =>
        [.. ((YamlSequenceNode)Config.Children["updates"]).Children.Cast<YamlMappingNode>()];

    [Theory]
    [InlineData("github-actions")]
    [InlineData("nuget")]
    public void Covers_the_ecosystem_at_the_repository_root_weekly(string ecosystem)
    {
        Config.Scalar("version").ShouldBe("2");
        var update = Updates.Single(u => u.Scalar("package-ecosystem") == ecosystem);

        update.Scalar("directory").ShouldBe("/");
        update.Map("schedule").Scalar("interval").ShouldBe("weekly");
        update.Scalar("target-branch").ShouldBe("dev", "work reaches main through dev (branch-check)");
        update.MapOrNull("groups").ShouldNotBeNull($"{ecosystem}: grouped, not one pull request per package");
    }

    [Fact]
    public void Covers_every_npm_lock_file_ci_installs_from()
    {
        var locks = LockFolders(RepositoryFiles.Root).Select(f => "/" + Path.GetRelativePath(RepositoryFiles.Root, f)).ToList();
        var npm = Updates.Single(u => u.Scalar("package-ecosystem") == "npm");

        locks.ShouldNotBeEmpty();
        npm.Strings("directories").ShouldBe(locks, ignoreOrder: true);
    }

    /// <summary>Folders with a package-lock.json, not looking into installed packages, build output or git.</summary>
    private static IEnumerable<string> LockFolders(string folder)
    {
        if (File.Exists(Path.Combine(folder, "package-lock.json"))) yield return folder;
        foreach (var child in Directory.EnumerateDirectories(folder).Where(d => Path.GetFileName(d) is not ("node_modules" or ".git" or "bin" or "obj")))
            foreach (var found in LockFolders(child)) yield return found;
    }
}
