namespace Storagectl.Tests.Releasing;

/// <summary>`storagectl hotfix start|finish` on real repositories: from the last release to a patch on main and dev.</summary>
public sealed class HotfixVerbTests
{
    /// <summary>v1.0.0 released and pushed, and dev one feature ahead of it (in another file).</summary>
    private static async Task<GitSandbox> ReleasedWithWorkOnDevAsync()
    {
        var git = await GitSandbox.CreateAsync();
        await git.CommitAsync("feat: login", "login.txt", "timeout = 10\n");
        await git.GitAsync("push", "--quiet", "origin", "main");
        await git.TagReleaseAsync("v1.0.0");
        await git.GitAsync("checkout", "--quiet", "dev");
        await git.GitAsync("merge", "--quiet", "main");
        await git.CommitAsync("feat: search", "search.txt", "search\n");
        await git.GitAsync("push", "--quiet", "origin", "dev");
        await git.GitAsync("checkout", "--quiet", "main");
        return git;
    }

    [Fact]
    public async Task A_hotfix_goes_from_the_release_tag_to_a_patch_release_on_main_and_back_into_dev()
    {
        using var git = await ReleasedWithWorkOnDevAsync();
        var devBefore = await git.GitAsync("rev-parse", "dev");

        var start = await git.StoragectlAsync("hotfix", "start", "login-timeout");

        start.ExitCode.ShouldBe(0, start.ToString());
        (await git.GitAsync("symbolic-ref", "--short", "HEAD")).ShouldBe("hotfix/login-timeout");
        (await git.GitAsync("rev-parse", "HEAD")).ShouldBe(await git.GitAsync("rev-parse", "v1.0.0^{commit}"));
        var fix = await git.CommitAsync("fix(login): time out after 30s", "login.txt", "timeout = 30\n");

        var finish = await git.StoragectlAsync("hotfix", "finish", "--push");

        finish.ExitCode.ShouldBe(0, finish.ToString());
        finish.Output.ShouldStartWith("released v1.0.1: hotfix/login-timeout merged into main, tagged v1.0.1");
        var main = await git.GitAsync("rev-parse", "main");
        (await git.GitAsync("merge-base", "--is-ancestor", fix, "main")).ShouldBeEmpty();
        (await git.GitAsync("log", "-1", "--format=%s", "main")).ShouldBe("chore(release): v1.0.1");
        (await git.GitAsync("cat-file", "-t", "v1.0.1")).ShouldBe("tag");
        (await git.GitAsync("rev-parse", "v1.0.1^{commit}")).ShouldBe(main);
        (await git.GitAsync("show", "main:CHANGELOG.md")).ShouldBe(
            $"# Changelog\n\n## [1.0.1] - {DateTime.UtcNow:yyyy-MM-dd}\n\n### Fixes\n\n- **login:** time out after 30s ({fix[..7]})");
        (await git.GitAsync("symbolic-ref", "--short", "HEAD")).ShouldBe("dev");
        (await git.GitAsync("merge-base", "--is-ancestor", main, "dev")).ShouldBeEmpty();
        (await git.GitAsync("merge-base", "--is-ancestor", devBefore, "dev")).ShouldBeEmpty();
        (await File.ReadAllTextAsync(Path.Combine(git.Work, "login.txt"))).ShouldBe("timeout = 30\n");
        (await git.GitInAsync(git.Origin, "rev-parse", "main")).ShouldBe(main);
        (await git.GitInAsync(git.Origin, "rev-parse", "dev")).ShouldBe(await git.GitAsync("rev-parse", "dev"));
        (await git.GitInAsync(git.Origin, "rev-parse", "v1.0.1^{commit}")).ShouldBe(main);
    }

    [Fact]
    public async Task A_backport_that_conflicts_is_undone_and_leaves_dev_as_it_was()
    {
        using var git = await ReleasedWithWorkOnDevAsync();
        await git.GitAsync("checkout", "--quiet", "dev");
        await git.CommitAsync("feat: configurable login timeout", "login.txt", "timeout = setting\n");
        await git.GitAsync("checkout", "--quiet", "main");
        var devBefore = await git.GitAsync("rev-parse", "dev");
        (await git.StoragectlAsync("hotfix", "start", "login-timeout")).ExitCode.ShouldBe(0);
        await git.CommitAsync("fix(login): time out after 30s", "login.txt", "timeout = 30\n");

        var finish = await git.StoragectlAsync("hotfix", "finish", "--push");

        finish.ExitCode.ShouldBe(1, finish.ToString());
        finish.Errors.ShouldContain("error: merging main into dev conflicts in: login.txt");
        finish.Errors.ShouldContain("dev (checked out) is unchanged; main and the tag v1.0.1 stay (nothing was pushed)");
        finish.Errors.ShouldContain("git checkout dev && git merge main");
        (await git.GitAsync("rev-parse", "dev")).ShouldBe(devBefore);
        (await git.GitAsync("status", "--porcelain")).ShouldBeEmpty();
        File.Exists(Path.Combine(git.Work, ".git", "MERGE_HEAD")).ShouldBeFalse("the merge was aborted");
        (await git.GitAsync("rev-parse", "v1.0.1^{commit}")).ShouldBe(await git.GitAsync("rev-parse", "main"));
        (await git.GitInAsync(git.Origin, "tag", "--list")).ShouldBe("v1.0.0");
    }

    [Fact]
    public async Task A_hotfix_that_does_not_merge_into_main_changes_nothing()
    {
        using var git = await ReleasedWithWorkOnDevAsync();
        (await git.StoragectlAsync("hotfix", "start", "login-timeout")).ExitCode.ShouldBe(0);
        await git.CommitAsync("fix(login): time out after 30s", "login.txt", "timeout = 30\n");
        await git.GitAsync("checkout", "--quiet", "main");
        await git.CommitAsync("fix(login): time out after 20s", "login.txt", "timeout = 20\n");
        await git.GitAsync("push", "--quiet", "origin", "main");
        await git.GitAsync("checkout", "--quiet", "hotfix/login-timeout");
        var before = await git.SnapshotAsync();

        var finish = await git.StoragectlAsync("hotfix", "finish");

        finish.ExitCode.ShouldBe(1, finish.ToString());
        finish.Errors.Trim().ShouldBe("error: hotfix/login-timeout does not merge cleanly into main (conflicts in login.txt): " +
            "merge main into hotfix/login-timeout, resolve, commit, and finish again; nothing was changed");
        (await git.SnapshotAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("Login")]
    [InlineData("login_timeout")]
    [InlineData("-login")]
    [InlineData("login/timeout")]
    public async Task A_hotfix_name_is_lowercase_letters_digits_and_dashes(string name)
    {
        using var git = await ReleasedWithWorkOnDevAsync();

        var result = await git.StoragectlAsync("hotfix", "start", name);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.Trim().ShouldBe($"error: '{name}' is not a hotfix name: use lowercase letters, digits and single dashes, e.g. login-timeout");
    }

    [Fact]
    public async Task There_is_nothing_to_hotfix_before_the_first_release()
    {
        using var git = await GitSandbox.CreateAsync();

        var result = await git.StoragectlAsync("hotfix", "start", "login");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.ShouldContain("main has no release tag (v*) yet: there is nothing to hotfix");
    }

    [Fact]
    public async Task Finish_refuses_outside_a_hotfix_branch()
    {
        using var git = await ReleasedWithWorkOnDevAsync();

        var result = await git.StoragectlAsync("hotfix", "finish");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.Trim().ShouldStartWith("error: on main, not on a hotfix branch");
    }

    [Fact]
    public async Task Finish_refuses_a_hotfix_without_commits_or_with_uncommitted_changes()
    {
        using var git = await ReleasedWithWorkOnDevAsync();
        (await git.StoragectlAsync("hotfix", "start", "login")).ExitCode.ShouldBe(0);

        var empty = await git.StoragectlAsync("hotfix", "finish");
        await File.WriteAllTextAsync(Path.Combine(git.Work, "login.txt"), "timeout = 30\n");
        var dirty = await git.StoragectlAsync("hotfix", "finish");

        empty.ExitCode.ShouldBe(1, empty.ToString());
        empty.Errors.ShouldContain("hotfix/login has no commits that main lacks: commit the fix first");
        dirty.ExitCode.ShouldBe(1, dirty.ToString());
        dirty.Errors.ShouldContain("the working tree is not clean");
        (await git.GitAsync("tag", "--list")).ShouldBe("v1.0.0");
    }
}
