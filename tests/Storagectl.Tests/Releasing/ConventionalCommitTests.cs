using Storagectl.Releases;

namespace Storagectl.Tests.Releasing;

/// <summary>Commit subjects and bodies read as Conventional Commits: type, scope, breaking, and what is not one.</summary>
public sealed class ConventionalCommitTests
{
    [Theory]
    [InlineData("feat: upload resumes", "feat", null, false, "upload resumes", ChangeKind.Feature)]
    [InlineData("feat(api): list by tag", "feat", "api", false, "list by tag", ChangeKind.Feature)]
    [InlineData("fix(search): empty query is 400", "fix", "search", false, "empty query is 400", ChangeKind.Fix)]
    [InlineData("perf: stream uploads", "perf", null, false, "stream uploads", ChangeKind.Fix)]
    [InlineData("feat!: drop v0 routes", "feat", null, true, "drop v0 routes", ChangeKind.Breaking)]
    [InlineData("refactor(core)!: rename tenants", "refactor", "core", true, "rename tenants", ChangeKind.Breaking)]
    [InlineData("Feat: capitalised type", "feat", null, false, "capitalised type", ChangeKind.Feature)]
    [InlineData("docs: README", "docs", null, false, "README", ChangeKind.Other)]
    [InlineData("chore(deps): bump xunit", "chore", "deps", false, "bump xunit", ChangeKind.Other)]
    public void A_conventional_header_gives_type_scope_breaking_and_description(string subject, string type, string? scope, bool breaking, string description, ChangeKind kind)
    {
        var commit = ConventionalCommit.Parse("abc", subject);

        commit.Type.ShouldBe(type);
        commit.Scope.ShouldBe(scope);
        commit.Breaking.ShouldBe(breaking);
        commit.Description.ShouldBe(description);
        commit.Kind.ShouldBe(kind);
    }

    [Theory]
    [InlineData("BREAKING CHANGE: the config key moved")]
    [InlineData("Reworks the loader.\n\nBREAKING CHANGE: the config key moved")]
    [InlineData("BREAKING-CHANGE: the config key moved")]
    public void A_breaking_change_footer_makes_any_commit_breaking(string body)
    {
        var commit = ConventionalCommit.Parse("abc", "fix(config): read the new key", body);

        commit.Breaking.ShouldBeTrue();
        commit.Kind.ShouldBe(ChangeKind.Breaking);
        commit.Bump.ShouldBe(Bump.Major);
    }

    [Fact]
    public void A_footer_must_be_spelled_in_capitals_to_count() =>
        ConventionalCommit.Parse("abc", "fix: x", "breaking change: not really").Breaking.ShouldBeFalse();

    [Theory]
    [InlineData("Merge pull request #12 from acme/dev")]
    [InlineData("feat:no space after the colon")]
    [InlineData("update the README")]
    public void A_subject_that_is_not_conventional_is_kept_whole_as_other(string subject)
    {
        var commit = ConventionalCommit.Parse("abc", subject);

        commit.Type.ShouldBeNull();
        commit.Description.ShouldBe(subject);
        commit.Kind.ShouldBe(ChangeKind.Other);
        commit.Bump.ShouldBe(Bump.None);
    }

    [Theory]
    [InlineData("feat: x", Bump.Minor)]
    [InlineData("fix: x", Bump.Patch)]
    [InlineData("perf: x", Bump.Patch)]
    [InlineData("feat!: x", Bump.Major)]
    [InlineData("chore: x", Bump.None)]
    [InlineData("docs: x", Bump.None)]
    public void Each_kind_asks_for_its_own_bump(string subject, Bump bump) => ConventionalCommit.Parse("abc", subject).Bump.ShouldBe(bump);

    [Fact]
    public void Storagectls_own_release_commits_are_recognised() =>
        ConventionalCommit.Parse("abc", "chore(release): v1.2.0").IsReleaseCommit.ShouldBeTrue();
}
