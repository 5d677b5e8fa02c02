using Storagectl.Releases;

namespace Storagectl.Tests.Releasing;

/// <summary>The text a release adds to CHANGELOG.md, and where it goes.</summary>
public sealed class ChangelogTests
{
    private const string Sha1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Sha2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string Sha3 = "3333333ccccccccccccccccccccccccccccccccc";
    private const string Sha4 = "4444444ddddddddddddddddddddddddddddddddd";
    private static readonly SemanticVersion V2 = new(2, 0, 0);
    private static readonly DateOnly Day = new(2026, 11, 25);

    private static readonly ConventionalCommit[] Commits =
    [
        ConventionalCommit.Parse(Sha1, "fix(search): empty query is 400"),
        ConventionalCommit.Parse(Sha2, "feat: resumable uploads"),
        ConventionalCommit.Parse(Sha3, "feat(api)!: drop the v0 routes"),
        ConventionalCommit.Parse(Sha4, "docs: explain tenants"),
    ];

    [Fact]
    public void A_section_groups_breaking_changes_features_fixes_and_other_with_short_shas()
    {
        Changelog.Section(V2, Day, Commits, CommitLinks.None).ShouldBe("""
            ## [2.0.0] - 2026-11-25

            ### Breaking changes

            - **api:** drop the v0 routes (3333333)

            ### Features

            - resumable uploads (2222222)

            ### Fixes

            - **search:** empty query is 400 (1111111)

            ### Other

            - explain tenants (4444444)

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Empty_groups_are_left_out_and_commits_link_to_github_when_origin_is_there()
    {
        var links = CommitLinks.FromRemoteUrl("git@github.com:acme/storage.git");

        Changelog.Section(new SemanticVersion(1, 2, 1), Day, [Commits[0]], links).ShouldBe($"""
            ## [1.2.1] - 2026-11-25

            ### Fixes

            - **search:** empty query is 400 ([1111111](https://github.com/acme/storage/commit/{Sha1}))

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_missing_changelog_is_created_with_its_heading()
    {
        Changelog.Insert(null, "## [0.1.0] - 2026-11-25\n\n### Features\n\n- a (1111111)\n")
            .ShouldBe("# Changelog\n\n## [0.1.0] - 2026-11-25\n\n### Features\n\n- a (1111111)\n");
    }

    [Fact]
    public void A_new_section_goes_above_the_older_ones_and_the_rest_is_kept()
    {
        const string existing = "# Changelog\n\nAll notable changes.\n\n## [1.0.0] - 2026-01-01\n\n### Features\n\n- first (0000000)\n";

        Changelog.Insert(existing, "## [1.1.0] - 2026-11-25\n\n### Fixes\n\n- b (2222222)\n").ShouldBe(
            "# Changelog\n\nAll notable changes.\n\n## [1.1.0] - 2026-11-25\n\n### Fixes\n\n- b (2222222)\n\n## [1.0.0] - 2026-01-01\n\n### Features\n\n- first (0000000)\n");
    }

    [Fact]
    public void A_changelog_with_only_its_heading_gets_the_section_below_it() =>
        Changelog.Insert("# Changelog\n", "## [1.0.0] - 2026-11-25\n").ShouldBe("# Changelog\n\n## [1.0.0] - 2026-11-25\n");

    [Theory]
    [InlineData("https://github.com/acme/storage.git")]
    [InlineData("https://github.com/acme/storage")]
    [InlineData("https://token@github.com/acme/storage.git")]
    [InlineData("git@github.com:acme/storage.git")]
    [InlineData("ssh://git@github.com/acme/storage.git")]
    public void GitHub_origins_in_any_spelling_give_commit_links(string url) =>
        CommitLinks.FromRemoteUrl(url).For(Sha1).ShouldBe($"[1111111](https://github.com/acme/storage/commit/{Sha1})");

    [Theory]
    [InlineData("/srv/git/storage.git")]
    [InlineData("https://gitlab.com/acme/storage.git")]
    [InlineData("https://github.com.evil.example/acme/storage.git")]
    [InlineData(null)]
    public void Other_origins_give_the_short_sha(string? url) => CommitLinks.FromRemoteUrl(url).For(Sha1).ShouldBe("1111111");
}
