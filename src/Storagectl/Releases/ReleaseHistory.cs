namespace Storagectl.Releases;

/// <summary>What git knows about past releases: the last release tag and the commits made since.</summary>
public static class ReleaseHistory
{
    /// <summary>The highest release tag reachable from <paramref name="revision"/>, or null before the first release.</summary>
    public static async Task<ReleaseTag?> LastReleaseAsync(this Git git, string revision)
    {
        var names = (await git.RunAsync("tag", "--list", "v*", "--merged", revision)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return names.Select(ReleaseTag.TryParse).OfType<ReleaseTag>().MaxBy(t => t.Version);
    }

    /// <summary>
    /// The commits in <paramref name="head"/> after <paramref name="since"/> (all of them when null), oldest first.
    /// Merge commits and storagectl's own release commits are left out: they are bookkeeping, not changes.
    /// </summary>
    public static async Task<IReadOnlyList<ConventionalCommit>> ChangesAsync(this Git git, string? since, string head)
    {
        const char Field = '\u001f', Record = '\u001e';
        var range = since is null ? head : $"{since}..{head}";
        var log = await git.RunAsync("log", "--no-merges", "--reverse", $"--format=%H{Field}%s{Field}%b{Record}", range);
        return log.Split(Record, StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Trim().Split(Field))
            .Where(fields => fields.Length == 3)
            .Select(fields => ConventionalCommit.Parse(fields[0], fields[1], fields[2]))
            .Where(commit => !commit.IsReleaseCommit)
            .ToList();
    }
}
