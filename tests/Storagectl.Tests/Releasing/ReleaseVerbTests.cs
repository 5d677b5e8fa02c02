namespace Storagectl.Tests.Releasing;

/// <summary>`storagectl release` on real repositories: the version, CHANGELOG.md, the tag, the branch and the push.</summary>
public sealed class ReleaseVerbTests
{
    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd");

    [Fact]
    public async Task A_feature_and_a_fix_since_the_last_tag_release_the_next_minor_version()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.TagReleaseAsync("v1.2.0");
        var shas = await git.LandOnMainAsync("feat(api): list objects by tag", "fix: empty upload is 400", "docs: explain tags");

        var result = await git.StoragectlAsync("release", "--test-command", "true");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldStartWith("released v1.3.0 (last release v1.2.0)");
        var section = $"""
            ## [1.3.0] - {Today}

            ### Features

            - **api:** list objects by tag ({shas[0][..7]})

            ### Fixes

            - empty upload is 400 ({shas[1][..7]})

            ### Other

            - explain tags ({shas[2][..7]})

            """.ReplaceLineEndings("\n");
        (await File.ReadAllTextAsync(Path.Combine(git.Work, "CHANGELOG.md"))).ShouldBe("# Changelog\n\n" + section);
        (await git.GitAsync("log", "-1", "--format=%s")).ShouldBe("chore(release): v1.3.0");
        (await git.GitAsync("status", "--porcelain")).ShouldBeEmpty();
        var head = await git.GitAsync("rev-parse", "HEAD");
        (await git.GitAsync("cat-file", "-t", "v1.3.0")).ShouldBe("tag", "an annotated tag, not a lightweight one");
        (await git.GitAsync("rev-parse", "v1.3.0^{commit}")).ShouldBe(head);
        (await git.GitAsync("tag", "-l", "--format=%(contents)", "v1.3.0")).ShouldBe(section.Trim());
        (await git.GitAsync("rev-parse", "release/v1.3.0")).ShouldBe(head);
        (await git.GitInAsync(git.Origin, "tag", "--list")).ShouldBe("v1.2.0", "nothing is pushed without --push");
    }

    [Fact]
    public async Task With_push_main_the_tag_and_the_release_branch_reach_origin()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.TagReleaseAsync("v1.2.0");
        await git.LandOnMainAsync("fix: retry a failed upload");

        var result = await git.StoragectlAsync("release", "--push", "--test-command", "true");

        result.ExitCode.ShouldBe(0, result.ToString());
        var head = await git.GitAsync("rev-parse", "HEAD");
        (await git.GitInAsync(git.Origin, "rev-parse", "main")).ShouldBe(head);
        (await git.GitInAsync(git.Origin, "rev-parse", "release/v1.2.1")).ShouldBe(head);
        (await git.GitInAsync(git.Origin, "rev-parse", "v1.2.1^{commit}")).ShouldBe(head);
        (await git.GitInAsync(git.Origin, "cat-file", "-t", "v1.2.1")).ShouldBe("tag");
        result.Output.ShouldContain("pushed main, v1.2.1 and release/v1.2.1 to origin");
    }

    [Fact]
    public async Task A_breaking_change_footer_releases_the_next_major_version()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.TagReleaseAsync("v1.2.0");
        await git.LandOnMainAsync("feat: new search", "fix(config): read STORAGE_ROOT\n\nBREAKING CHANGE: STORAGE_DIR is no longer read");

        var result = await git.StoragectlAsync("release", "--test-command", "true");

        result.ExitCode.ShouldBe(0, result.ToString());
        (await git.GitAsync("tag", "--points-at", "HEAD")).ShouldBe("v2.0.0");
        (await File.ReadAllTextAsync(Path.Combine(git.Work, "CHANGELOG.md"))).ShouldContain("### Breaking changes\n\n- **config:** read STORAGE_ROOT");
    }

    [Fact]
    public async Task The_first_release_of_a_feature_is_0_1_0_and_an_existing_changelog_keeps_its_text()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.CommitAsync("docs: start a changelog", "CHANGELOG.md", "# Changelog\n\nEverything that changed, newest first.\n");
        await git.GitAsync("push", "--quiet", "origin", "main");
        await git.LandOnMainAsync("feat: upload files");

        var result = await git.StoragectlAsync("release", "--test-command", "true");

        result.ExitCode.ShouldBe(0, result.ToString());
        (await git.GitAsync("tag", "--points-at", "HEAD")).ShouldBe("v0.1.0");
        (await File.ReadAllTextAsync(Path.Combine(git.Work, "CHANGELOG.md")))
            .ShouldStartWith($"# Changelog\n\nEverything that changed, newest first.\n\n## [0.1.0] - {Today}\n\n### Features\n\n- upload files (");
    }

    [Fact]
    public async Task The_next_release_covers_only_the_commits_since_the_previous_one()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.LandOnMainAsync("feat: upload files");
        (await git.StoragectlAsync("release", "--push", "--test-command", "true")).ExitCode.ShouldBe(0);
        await git.GitAsync("checkout", "--quiet", "dev");
        await git.GitAsync("merge", "--quiet", "main");
        await git.LandOnMainAsync("fix: uploads of 0 bytes");

        var result = await git.StoragectlAsync("release", "--test-command", "true");

        result.ExitCode.ShouldBe(0, result.ToString());
        var changelog = await File.ReadAllTextAsync(Path.Combine(git.Work, "CHANGELOG.md"));
        changelog.ShouldStartWith($"# Changelog\n\n## [0.1.1] - {Today}\n\n### Fixes\n\n- uploads of 0 bytes (");
        changelog.IndexOf("upload files", StringComparison.Ordinal).ShouldBeGreaterThan(changelog.IndexOf("## [0.1.0]", StringComparison.Ordinal));
        changelog.ShouldNotContain("chore(release)");
    }

    [Fact]
    public async Task A_github_origin_gives_commit_links()
    {
        using var git = await GitSandbox.CreateAsync();
        // origin looks like GitHub but git is told to reach it in the sandbox, so fetch and push still work.
        await git.GitAsync("remote", "set-url", "origin", "https://github.com/acme/storage.git");
        await git.GitAsync("config", $"url.{git.Origin}.insteadOf", "https://github.com/acme/storage.git");
        var shas = await git.LandOnMainAsync("feat: search");

        var result = await git.StoragectlAsync("release", "--test-command", "true");

        result.ExitCode.ShouldBe(0, result.ToString());
        (await File.ReadAllTextAsync(Path.Combine(git.Work, "CHANGELOG.md")))
            .ShouldContain($"- search ([{shas[0][..7]}](https://github.com/acme/storage/commit/{shas[0]}))");
    }

    [Fact]
    public async Task A_requested_version_overrides_the_computed_one()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.TagReleaseAsync("v1.2.0");
        await git.LandOnMainAsync("chore: tidy up");

        var result = await git.StoragectlAsync("release", "--version", "2.0.0-rc.1", "--test-command", "true");

        result.ExitCode.ShouldBe(0, result.ToString());
        (await git.GitAsync("tag", "--points-at", "HEAD")).ShouldBe("v2.0.0-rc.1");
        (await git.GitAsync("rev-parse", "release/v2.0.0-rc.1")).ShouldBe(await git.GitAsync("rev-parse", "HEAD"));
    }

    [Fact]
    public async Task Skipping_the_tests_warns_loudly_and_releases()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.LandOnMainAsync("fix: a");

        var result = await git.StoragectlAsync("release", "--skip-tests", "--test-command", "false");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Errors.ShouldContain("WARNING: --skip-tests: releasing v0.0.1 WITHOUT running the tests");
        (await git.GitAsync("tag", "--points-at", "HEAD")).ShouldBe("v0.0.1");
    }

    [Fact]
    public async Task The_test_command_runs_in_the_repository_root_and_its_output_goes_to_stderr()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.LandOnMainAsync("fix: a");

        var result = await git.StoragectlAsync("release", "--test-command", "test -f README.md && echo 'tests: 3 passed'");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Errors.ShouldContain("tests: 3 passed");
        result.Output.ShouldNotContain("tests: 3 passed");
    }

    [Fact]
    public async Task A_dry_run_prints_the_version_the_section_and_the_commands_and_changes_nothing()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.TagReleaseAsync("v1.2.0");
        await git.LandOnMainAsync("feat: search");
        var before = await git.SnapshotAsync();

        var result = await git.StoragectlAsync("release", "--dry-run", "--push", "--test-command", "false");

        result.ExitCode.ShouldBe(0, result.ToString());
        (await git.SnapshotAsync()).ShouldBe(before);
        File.Exists(Path.Combine(git.Work, "CHANGELOG.md")).ShouldBeFalse();
        result.Output.ShouldStartWith($"would release v1.3.0 (last release v1.2.0, 1 commit(s))\n\n## [1.3.0] - {Today}\n\n### Features\n\n- search (");
        result.Output.ShouldContain("""
            would run:
              bash -c false
              write the section above at the top of CHANGELOG.md
              git add CHANGELOG.md
              git commit -m 'chore(release): v1.3.0'
              git tag -a v1.3.0 -m '<the changelog section above>'
              git branch release/v1.3.0
              git push --atomic origin refs/heads/main refs/tags/v1.3.0 refs/heads/release/v1.3.0
            """.ReplaceLineEndings("\n"));
    }
}
