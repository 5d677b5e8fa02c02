using System.Text.RegularExpressions;

namespace Storagectl.Releases;

/// <summary>The changelog groups, in the order they are printed.</summary>
public enum ChangeKind { Breaking, Feature, Fix, Other }

/// <summary>
/// A commit read as a Conventional Commit (conventionalcommits.org 1.0): <c>type(scope)!: description</c>, with a
/// <c>BREAKING CHANGE:</c> footer also marking a breaking change. A subject that does not follow the form is kept
/// whole, as an "other" change.
/// </summary>
public sealed partial record ConventionalCommit(string Sha, string? Type, string? Scope, bool Breaking, string Description)
{
    public static ConventionalCommit Parse(string sha, string subject, string body = "")
    {
        var footerBreaking = BreakingFooter().IsMatch(body);
        var match = Header().Match(subject.Trim());
        if (!match.Success) return new ConventionalCommit(sha, null, null, footerBreaking, subject.Trim());
        var scope = match.Groups["scope"].Success ? match.Groups["scope"].Value.Trim() : null;
        return new ConventionalCommit(sha, match.Groups["type"].Value.ToLowerInvariant(), scope,
            footerBreaking || match.Groups["bang"].Success, match.Groups["description"].Value.Trim());
    }

    public ChangeKind Kind =>
        Breaking ? ChangeKind.Breaking
        : Type == "feat" ? ChangeKind.Feature
        : Type is "fix" or "perf" ? ChangeKind.Fix
        : ChangeKind.Other;

    /// <summary>How big a release this commit alone asks for: other types (chore, docs, ci, …) ask for none.</summary>
    public Bump Bump => Kind switch
    {
        ChangeKind.Breaking => Bump.Major,
        ChangeKind.Feature => Bump.Minor,
        ChangeKind.Fix => Bump.Patch,
        _ => Bump.None,
    };

    /// <summary>The commits storagectl makes itself when it releases: bookkeeping, not changes.</summary>
    public bool IsReleaseCommit => Type == "chore" && Scope == "release";

    [GeneratedRegex(@"^(?<type>[A-Za-z]+)(?:\((?<scope>[^()]+)\))?(?<bang>!)?: +(?<description>\S.*)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^BREAKING[ -]CHANGE: ", RegexOptions.Multiline)]
    private static partial Regex BreakingFooter();
}
