namespace Storagectl.Tests.Releasing;

/// <summary>When `storagectl release` refuses: one line on stderr saying why, exit code 1, and nothing changed.</summary>
public sealed class ReleaseRefusalTests
{
    private static async Task<GitSandbox> ReadyToReleaseAsync()
    {
        var git = await GitSandbox.CreateAsync();
        await git.TagReleaseAsync("v1.0.0");
        await git.LandOnMainAsync("feat: search");
        return git;
    }

    private static async Task RefusesAsync(GitSandbox git, string reason, params string[] extra)
    {
        var before = await git.SnapshotAsync();

        var result = await git.StoragectlAsync(["release", .. extra.Contains("--test-command") ? extra : ["--test-command", "true", .. extra]]);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Output.ShouldBeEmpty();
        var error = result.Errors.Trim().Split('\n').Last();
        error.ShouldStartWith("error: ");
        error.ShouldContain(reason);
        (await git.SnapshotAsync()).ShouldBe(before, "a refused release changes nothing");
    }

    [Fact]
    public async Task Not_on_main()
    {
        using var git = await ReadyToReleaseAsync();
        await git.GitAsync("checkout", "--quiet", "dev");

        await RefusesAsync(git, "on dev, not on main: releases are cut from main");
    }

    [Fact]
    public async Task A_dirty_working_tree()
    {
        using var git = await ReadyToReleaseAsync();
        await File.AppendAllTextAsync(Path.Combine(git.Work, "README.md"), "half-done edit\n");

        await RefusesAsync(git, "the working tree is not clean (1 changed or untracked, e.g. README.md)");
    }

    [Fact]
    public async Task An_untracked_file()
    {
        using var git = await ReadyToReleaseAsync();
        await File.WriteAllTextAsync(Path.Combine(git.Work, "scratch.txt"), "notes\n");

        await RefusesAsync(git, "the working tree is not clean");
    }

    [Fact]
    public async Task Main_behind_origin()
    {
        using var git = await ReadyToReleaseAsync();
        var colleague = await git.CloneAsync("colleague");
        await git.CommitInAsync(colleague, "fix: pushed by a colleague");
        await git.GitInAsync(colleague, "push", "--quiet", "origin", "main");

        await RefusesAsync(git, "main is 1 commit(s) behind origin/main: update it first");
    }

    [Fact]
    public async Task Dev_not_merged_into_main()
    {
        using var git = await ReadyToReleaseAsync();
        await git.GitAsync("checkout", "--quiet", "dev");
        await git.CommitAsync("feat: not merged yet");
        await git.GitAsync("push", "--quiet", "origin", "dev");
        await git.GitAsync("checkout", "--quiet", "main");

        await RefusesAsync(git, "origin/dev has 1 commit(s) that main lacks: merge dev into main first");
    }

    [Fact]
    public async Task A_failing_test_command()
    {
        using var git = await ReadyToReleaseAsync();

        await RefusesAsync(git, "the test command failed (exit code 3): exit 3; nothing was released", "--test-command", "exit 3");
    }

    [Fact]
    public async Task Nothing_to_release()
    {
        using var git = await GitSandbox.CreateAsync();
        await git.TagReleaseAsync("v1.0.0");
        await git.LandOnMainAsync("docs: typo", "chore: bump tools");

        await RefusesAsync(git, "nothing to release since v1.0.0: 2 commit(s) but no feat, fix, perf or breaking change; pass --version X.Y.Z");
    }

    [Fact]
    public async Task A_requested_version_not_above_the_last_release()
    {
        using var git = await ReadyToReleaseAsync();

        await RefusesAsync(git, "--version 0.9.0 is not greater than the last release v1.0.0", "--version", "0.9.0");
    }

    [Fact]
    public async Task No_dev_on_origin()
    {
        using var git = await ReadyToReleaseAsync();
        await git.GitAsync("push", "--quiet", "origin", "--delete", "dev");
        await git.GitAsync("fetch", "--quiet", "--prune", "origin");

        await RefusesAsync(git, "origin has no dev branch");
    }

    [Fact]
    public async Task A_folder_that_is_not_a_repository()
    {
        var folder = Directory.CreateTempSubdirectory("storagectl-not-git-").FullName;
        try
        {
            var result = await StoragectlProcess.RunAsync(["release", "--repo", folder]);

            result.ExitCode.ShouldBe(1, result.ToString());
            result.Errors.Trim().ShouldStartWith("error: ");
            result.Errors.Trim().Split('\n').Length.ShouldBe(1);
            result.Errors.ShouldContain("not a git repository");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
