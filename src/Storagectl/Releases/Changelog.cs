using System.Text;

namespace Storagectl.Releases;

/// <summary>CHANGELOG.md: one section per release, newest at the top, written from the commits since the last one.</summary>
public static class Changelog
{
    public const string FileName = "CHANGELOG.md";
    public const string Heading = "# Changelog";

    private static readonly (ChangeKind Kind, string Title)[] Groups =
        [(ChangeKind.Breaking, "Breaking changes"), (ChangeKind.Feature, "Features"), (ChangeKind.Fix, "Fixes"), (ChangeKind.Other, "Other")];

    /// <summary>The section for one release; groups without commits are left out.</summary>
    public static string Section(SemanticVersion version, DateOnly date, IEnumerable<ConventionalCommit> commits, CommitLinks links)
    {
        var list = commits.ToList();
        var text = new StringBuilder($"## [{version}] - {date:yyyy-MM-dd}\n");
        foreach (var (kind, title) in Groups)
        {
            var inGroup = list.Where(c => c.Kind == kind).ToList();
            if (inGroup.Count == 0) continue;
            text.Append($"\n### {title}\n\n");
            foreach (var commit in inGroup) text.Append($"- {Line(commit)} ({links.For(commit.Sha)})\n");
        }
        return text.ToString();
    }

    /// <summary>The file with <paramref name="section"/> above every older section; a new file when there was none.</summary>
    public static string Insert(string? existing, string section)
    {
        if (string.IsNullOrWhiteSpace(existing)) return $"{Heading}\n\n{section}";
        var lines = existing.Split('\n');
        var first = Array.FindIndex(lines, l => l.StartsWith("## ", StringComparison.Ordinal));
        if (first < 0) return existing.TrimEnd() + "\n\n" + section;
        var before = first == 0 ? "" : string.Join('\n', lines[..first]).TrimEnd() + "\n\n";
        return before + section + "\n" + string.Join('\n', lines[first..]);
    }

    private static string Line(ConventionalCommit commit) =>
        commit.Scope is null ? commit.Description : $"**{commit.Scope}:** {commit.Description}";
}
