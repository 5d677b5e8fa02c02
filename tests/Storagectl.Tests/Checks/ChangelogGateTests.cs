using Storagectl.Checks;
using Storagectl.Planning;

namespace Storagectl.Tests.Checks;

/// <summary>The changelog gate of the checklist: a release version needs its section, a development build does not.</summary>
public sealed class ChangelogGateTests : IDisposable
{
    private readonly DirectoryInfo _repository = Directory.CreateTempSubdirectory("checklist-");

    private static Artifact Built(string version) => new("storage-api", version, "abc", DateTimeOffset.UnixEpoch, "a.tar.gz", new string('a', 64));

    [Fact]
    public void A_release_version_needs_its_section()
    {
        File.WriteAllText(Path.Combine(_repository.FullName, "CHANGELOG.md"), "# Changelog\n\n## [1.2.0] - 2026-11-20\n\n- x\n\n## [1.10.0] - 2026-01-01\n");

        DeployChecklist.ChangelogNames(_repository.FullName, Built("1.2.0")).Status.ShouldBe(CheckStatus.Passed);
        var missing = DeployChecklist.ChangelogNames(_repository.FullName, Built("1.1.0"));
        missing.Status.ShouldBe(CheckStatus.Failed);
        missing.ToString().ShouldBe("[FAIL] CHANGELOG.md describes the version: no '## [1.1.0]' section in CHANGELOG.md; `storagectl release` writes it");
    }

    [Fact]
    public void Without_a_changelog_a_release_fails_and_a_development_build_or_no_artifact_is_skipped()
    {
        DeployChecklist.ChangelogNames(_repository.FullName, Built("1.2.0")).Status.ShouldBe(CheckStatus.Failed);
        DeployChecklist.ChangelogNames(_repository.FullName, Built("1.2.0-dev.3.gabc1234")).Status.ShouldBe(CheckStatus.Skipped);
        DeployChecklist.ChangelogNames(_repository.FullName, null).Status.ShouldBe(CheckStatus.Skipped);
    }

    public void Dispose() => _repository.Delete(recursive: true);
}
