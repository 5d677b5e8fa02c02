using System.Text.RegularExpressions;

namespace Storagectl.Releases;

/// <summary>How the changelog points at a commit: a link when origin is on GitHub, the short sha otherwise.</summary>
public sealed partial record CommitLinks(string? GitHubRepository)
{
    public static readonly CommitLinks None = new((string?)null);

    /// <summary>Understands https, ssh and scp-like GitHub URLs, with or without <c>.git</c>.</summary>
    public static CommitLinks FromRemoteUrl(string? url)
    {
        var match = GitHubUrl().Match(url?.Trim() ?? "");
        return match.Success ? new CommitLinks($"https://github.com/{match.Groups["owner"].Value}/{match.Groups["repo"].Value}") : None;
    }

    public string For(string sha)
    {
        var shortSha = sha[..Math.Min(7, sha.Length)];
        return GitHubRepository is null ? shortSha : $"[{shortSha}]({GitHubRepository}/commit/{sha})";
    }

    [GeneratedRegex(@"^(?:https://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com(?::\d+)?/)(?<owner>[\w.-]+)/(?<repo>[\w.-]+?)(?:\.git)?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex GitHubUrl();
}
