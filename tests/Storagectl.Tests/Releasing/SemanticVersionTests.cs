using Storagectl.Releases;

namespace Storagectl.Tests.Releasing;

/// <summary>Semantic versions as semver.org defines them: what parses, how they order, how they bump.</summary>
public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("0.0.0")]
    [InlineData("1.2.3")]
    [InlineData("10.20.30")]
    [InlineData("2.0.0-rc.1")]
    [InlineData("1.0.0-alpha-a.b-c")]
    public void Valid_versions_parse_and_print_as_they_were(string text)
    {
        SemanticVersion.TryParse(text, out var version).ShouldBeTrue();
        version!.ToString().ShouldBe(text);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("v1.2.3")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3+build.5")]
    [InlineData("99999999999.0.0")]
    [InlineData("one.two.three")]
    public void Invalid_versions_do_not_parse(string text) => SemanticVersion.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("1.0.0", "2.0.0")]
    [InlineData("1.9.0", "1.10.0")]
    [InlineData("1.0.9", "1.0.10")]
    [InlineData("1.0.0-rc.1", "1.0.0")]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1")]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta")]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11")]
    [InlineData("1.0.0-beta.11", "1.0.0-rc.1")]
    public void Versions_order_by_semver_precedence(string lower, string higher)
    {
        var (a, b) = (Parse(lower), Parse(higher));

        (a < b).ShouldBeTrue();
        (b > a).ShouldBeTrue();
    }

    [Theory]
    [InlineData("1.2.3", Bump.Patch, "1.2.4")]
    [InlineData("1.2.3", Bump.Minor, "1.3.0")]
    [InlineData("1.2.3", Bump.Major, "2.0.0")]
    [InlineData("2.0.0-rc.1", Bump.Patch, "2.0.0")]
    [InlineData("2.0.0-rc.1", Bump.Major, "2.0.0")]
    [InlineData("1.2.1-rc.1", Bump.Minor, "1.3.0")]
    [InlineData("1.3.0-rc.1", Bump.Minor, "1.3.0")]
    public void Bumping_resets_the_lower_parts_and_a_pre_release_lands_on_its_release(string from, Bump bump, string to) =>
        Parse(from).Next(bump).ShouldBe(Parse(to));

    private static SemanticVersion Parse(string text) => SemanticVersion.TryParse(text, out var version) ? version : throw new ArgumentException(text);
}
