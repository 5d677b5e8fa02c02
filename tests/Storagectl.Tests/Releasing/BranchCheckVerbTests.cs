namespace Storagectl.Tests.Releasing;

/// <summary>`storagectl branch-check` as CI runs it: options, or the pull request's GITHUB_HEAD_REF and GITHUB_BASE_REF.</summary>
public sealed class BranchCheckVerbTests
{
    [Fact]
    public async Task An_allowed_pull_request_exits_0_with_ok()
    {
        var result = await StoragectlProcess.RunAsync(["branch-check", "--source", "release/v1.3.0", "--target", "main"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.Trim().ShouldBe("ok: release/v1.3.0 -> main is allowed");
    }

    [Fact]
    public async Task A_refused_pull_request_exits_1_naming_the_allowed_sources()
    {
        var result = await StoragectlProcess.RunAsync(["branch-check", "--source", "feature/search", "--target", "main"]);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.Trim().ShouldBe("error: feature/search -> main is not allowed: pull requests into main come only from dev, release/*, hotfix/*");
    }

    [Fact]
    public async Task In_a_pull_request_the_branches_come_from_the_github_variables()
    {
        var environment = new Dictionary<string, string> { ["GITHUB_HEAD_REF"] = "main", ["GITHUB_BASE_REF"] = "dev" };

        var result = await StoragectlProcess.RunAsync(["branch-check"], environment);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.Trim().ShouldBe("error: main -> dev is not allowed: pull requests into dev come only from feature/*, fix/*, hotfix/*, dependabot/*");
    }

    [Fact]
    public async Task Options_win_over_the_github_variables()
    {
        var environment = new Dictionary<string, string> { ["GITHUB_HEAD_REF"] = "main", ["GITHUB_BASE_REF"] = "dev" };

        var result = await StoragectlProcess.RunAsync(["branch-check", "--source", "fix/typo"], environment);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.Trim().ShouldBe("ok: fix/typo -> dev is allowed");
    }

    [Fact]
    public async Task Without_branches_it_says_how_to_name_them()
    {
        var result = await StoragectlProcess.RunAsync(["branch-check"], new Dictionary<string, string> { ["GITHUB_HEAD_REF"] = "" });

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain("name the branches with --source and --target");
    }
}
