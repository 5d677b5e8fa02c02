namespace Storagectl.Releases;

public sealed record BranchVerdict(bool Allowed, string Message);

/// <summary>
/// Which branches may open a pull request into which: main takes only finished work (dev, release/*, hotfix/*), dev
/// takes work branches (feature/*, fix/*), hotfixes and Dependabot's updates (dependabot/*, .github/dependabot.yml);
/// other targets have no rule.
/// </summary>
public static class BranchRules
{
    private static readonly Dictionary<string, string[]> AllowedSources = new()
    {
        ["main"] = ["dev", "release/*", "hotfix/*"],
        ["dev"] = ["feature/*", "fix/*", "hotfix/*", "dependabot/*"],
    };

    public static BranchVerdict Check(string source, string target)
    {
        (source, target) = (Short(source), Short(target));
        if (!AllowedSources.TryGetValue(target, out var allowed))
            return new BranchVerdict(true, $"ok: {source} -> {target} (no rule for pull requests into {target})");
        if (allowed.Any(pattern => Matches(pattern, source)))
            return new BranchVerdict(true, $"ok: {source} -> {target} is allowed");
        return new BranchVerdict(false, $"{source} -> {target} is not allowed: pull requests into {target} come only from {string.Join(", ", allowed)}");
    }

    // "release/*" wants something after the slash; other patterns are exact names.
    private static bool Matches(string pattern, string branch) =>
        pattern.EndsWith("/*", StringComparison.Ordinal)
            ? branch.Length > pattern.Length - 1 && branch.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : branch == pattern;

    private static string Short(string branch) => branch.StartsWith("refs/heads/", StringComparison.Ordinal) ? branch["refs/heads/".Length..] : branch;
}
