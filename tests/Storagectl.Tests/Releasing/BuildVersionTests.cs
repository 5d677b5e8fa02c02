using Storagectl.Releases;

namespace Storagectl.Tests.Releasing;

/// <summary>The version `storagectl build` stamps, read from a real repository's tags.</summary>
public sealed class BuildVersionTests
{
    [Fact]
    public async Task A_release_tag_is_its_version()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.TagReleaseAsync("v1.4.0");

        (await ArtifactBuilder.VersionFromGitAsync(git.Work)).ShouldBe("1.4.0");
    }

    [Fact]
    public async Task A_dev_build_after_a_release_sorts_after_it_and_before_its_hotfix()
    {
        // Staging runs the release candidate 1.4.0, then the next dev build: that must not look like a downgrade.
        using var git = await GitSandbox.CreateAsync();
        await git.TagReleaseAsync("v1.4.0");
        await git.CommitAsync("feat: one");
        await git.CommitAsync("fix: two");
        var head = await git.GitAsync("rev-parse", "--short=7", "HEAD");

        var version = await ArtifactBuilder.VersionFromGitAsync(git.Work);

        version.ShouldBe($"1.4.1-dev.2.g{head}");
        SemanticVersion.TryParse(version, out var built).ShouldBeTrue();
        built.ShouldBeGreaterThan(new SemanticVersion(1, 4, 0));
        built.ShouldBeLessThan(new SemanticVersion(1, 4, 1));
    }

    [Fact]
    public async Task Uncommitted_changes_say_dirty()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.TagReleaseAsync("v2.0.0");
        await File.AppendAllTextAsync(Path.Combine(git.Work, "README.md"), "changed\n");

        (await ArtifactBuilder.VersionFromGitAsync(git.Work)).ShouldBe("2.0.0-dirty");
        await git.CommitAsync("docs: more");
        await File.AppendAllTextAsync(Path.Combine(git.Work, "README.md"), "changed again\n");
        (await ArtifactBuilder.VersionFromGitAsync(git.Work)).ShouldEndWith(".dirty");
    }

    [Fact]
    public async Task Without_a_release_it_is_a_zero_dev_build()
    {
        using var git = await GitSandbox.CreateAsync();
        var head = await git.GitAsync("rev-parse", "--short=7", "HEAD");

        (await ArtifactBuilder.VersionFromGitAsync(git.Work)).ShouldBe($"0.0.0-dev.g{head}");
    }
}
