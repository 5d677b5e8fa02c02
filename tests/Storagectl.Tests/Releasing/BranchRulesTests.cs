using Storagectl.Releases;

namespace Storagectl.Tests.Releasing;

/// <summary>Which pull requests may go where: main takes finished work, dev takes work branches, others are free.</summary>
public sealed class BranchRulesTests
{
    [Theory]
    [InlineData("dev", "main", true)]
    [InlineData("release/v1.3.0", "main", true)]
    [InlineData("hotfix/login-timeout", "main", true)]
    [InlineData("feature/search", "main", false)]
    [InlineData("fix/typo", "main", false)]
    [InlineData("develop", "main", false)]
    [InlineData("release/", "main", false)]
    [InlineData("my-release/v1", "main", false)]
    [InlineData("feature/search", "dev", true)]
    [InlineData("fix/typo", "dev", true)]
    [InlineData("hotfix/login-timeout", "dev", true)]
    [InlineData("dependabot/nuget/dev/YamlDotNet-18.2.0", "dev", true)]
    [InlineData("dependabot/github_actions/dev/actions-abc123", "main", false)]
    [InlineData("main", "dev", false)]
    [InlineData("release/v1.3.0", "dev", false)]
    [InlineData("search", "dev", false)]
    [InlineData("refs/heads/dev", "refs/heads/main", true)]
    [InlineData("anything", "feature/search", true)]
    [InlineData("main", "release/v1.3.0", true)]
    public void Pull_requests_follow_the_branch_table(string source, string target, bool allowed) =>
        BranchRules.Check(source, target).Allowed.ShouldBe(allowed);

    [Fact]
    public void A_refusal_names_the_allowed_sources() =>
        BranchRules.Check("feature/search", "main").Message
            .ShouldBe("feature/search -> main is not allowed: pull requests into main come only from dev, release/*, hotfix/*");

    [Fact]
    public void An_allowed_pair_says_ok() => BranchRules.Check("fix/typo", "dev").Message.ShouldBe("ok: fix/typo -> dev is allowed");
}
