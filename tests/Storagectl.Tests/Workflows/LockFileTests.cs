using System.Xml.Linq;

namespace Storagectl.Tests.Workflows;

/// <summary>
/// Every project restores from its packages.lock.json, the same file in every configuration: CI keys its NuGet cache on
/// these files, and a build anywhere gets the packages (and hashes) the repository names.
/// </summary>
public sealed class LockFileTests
{
    private static readonly string[] Projects = Directory.GetFiles(RepositoryFiles.PathOf("."), "*.csproj", SearchOption.AllDirectories)
        .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}")).ToArray();

    [Fact]
    public void Restoring_with_a_lock_file_is_on_for_every_project()
    {
        XDocument.Load(RepositoryFiles.PathOf("Directory.Build.props")).Descendants("RestorePackagesWithLockFile").Single().Value.ShouldBe("true");
    }

    [Fact]
    public void Every_project_has_its_lock_file()
    {
        Projects.Length.ShouldBeGreaterThan(5);
        foreach (var project in Projects)
            File.Exists(Path.Combine(Path.GetDirectoryName(project)!, "packages.lock.json")).ShouldBeTrue($"{project} has no packages.lock.json: run dotnet restore and commit it");
    }

    [Fact]
    public void No_package_reference_depends_on_the_configuration()
    {
        // A conditional reference makes Debug and Release restores write different lock files, each undoing the other;
        // a package needed in one configuration only keeps its reference and conditions its assets instead.
        foreach (var project in Projects)
            XDocument.Load(project).Descendants("PackageReference").Where(r => r.Attribute("Condition") is not null)
                .Select(r => (string?)r.Attribute("Include")).ShouldBeEmpty(Path.GetFileName(project));
    }
}
