using Storagectl.Releases;

namespace Storagectl.Tests.Releasing;

/// <summary>The next version from the commits since the last release, and when there is none.</summary>
public sealed class VersionCalculatorTests
{
    private static readonly ReleaseTag V1_2_0 = ReleaseTag.TryParse("v1.2.0")!;

    private static IReadOnlyList<ConventionalCommit> Commits(params string[] subjects) =>
        subjects.Select((subject, i) => ConventionalCommit.Parse($"{i:x7}", subject)).ToList();

    [Theory]
    [InlineData("1.2.1", "fix: a")]
    [InlineData("1.2.1", "perf: a", "docs: b")]
    [InlineData("1.3.0", "fix: a", "feat: b")]
    [InlineData("2.0.0", "fix: a", "feat!: b", "feat: c")]
    [InlineData("2.0.0", "refactor(core)!: a")]
    public void The_biggest_change_decides(string expected, params string[] subjects) =>
        VersionCalculator.Choose(V1_2_0, Commits(subjects), null).ToString().ShouldBe(expected);

    [Fact]
    public void A_breaking_change_footer_bumps_major() =>
        VersionCalculator.Choose(V1_2_0, [ConventionalCommit.Parse("a", "fix: a", "BREAKING CHANGE: b")], null).ToString().ShouldBe("2.0.0");

    [Theory]
    [InlineData("0.1.0", "feat: a", "fix: b")]
    [InlineData("0.0.1", "fix: a")]
    [InlineData("1.0.0", "feat!: a")]
    public void Before_the_first_release_the_base_is_0_0_0(string expected, params string[] subjects) =>
        VersionCalculator.Choose(null, Commits(subjects), null).ToString().ShouldBe(expected);

    [Fact]
    public void Only_chores_and_docs_are_nothing_to_release() =>
        Should.Throw<ReleaseException>(() => VersionCalculator.Choose(V1_2_0, Commits("chore: a", "docs: b", "ci: c"), null))
            .Message.ShouldBe("nothing to release since v1.2.0: 3 commit(s) but no feat, fix, perf or breaking change; pass --version X.Y.Z to release anyway");

    [Fact]
    public void No_commits_at_all_is_nothing_to_release_even_with_a_version() =>
        Should.Throw<ReleaseException>(() => VersionCalculator.Choose(V1_2_0, [], "1.3.0")).Message.ShouldBe("nothing to release: no commits since v1.2.0");

    [Theory]
    [InlineData("1.2.1")]
    [InlineData("v1.2.1")]
    [InlineData("2.0.0-rc.1")]
    public void A_requested_version_wins_over_the_computed_one(string requested) =>
        VersionCalculator.Choose(V1_2_0, Commits("chore: a"), requested).ToString().ShouldBe(requested.TrimStart('v'));

    [Theory]
    [InlineData("1.2.0")]
    [InlineData("1.1.9")]
    [InlineData("1.2.0-rc.1")]
    public void A_requested_version_must_be_greater_than_the_last_release(string requested) =>
        Should.Throw<ReleaseException>(() => VersionCalculator.Choose(V1_2_0, Commits("feat: a"), requested))
            .Message.ShouldContain("is not greater than the last release v1.2.0");

    [Theory]
    [InlineData("1.3")]
    [InlineData("latest")]
    [InlineData("1.3.0+build")]
    public void A_requested_version_must_be_a_semantic_version(string requested) =>
        Should.Throw<ReleaseException>(() => VersionCalculator.Choose(V1_2_0, Commits("feat: a"), requested))
            .Message.ShouldStartWith($"--version '{requested}' is not a semantic version");
}
