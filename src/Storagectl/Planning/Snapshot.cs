using System.Globalization;

namespace Storagectl.Planning;

/// <summary>One line of `storage-api backups list`: <c>&lt;id&gt;\t&lt;takenAt ISO&gt;\t&lt;version&gt;\t&lt;N&gt; objects\t&lt;B&gt; bytes[\t&lt;M&gt; missing]</c>.</summary>
/// <param name="TakenAtText">The time exactly as the service wrote it, given back to `restore-from --at` so it picks this snapshot.</param>
public sealed record Snapshot(string Id, DateTimeOffset TakenAt, string TakenAtText, string Version, long Objects, long Bytes, long Missing)
{
    /// <summary>The release as artifacts and hosts name it: the service reports its version with the commit as build metadata (1.0.0+3f2a1bc…).</summary>
    public string Release => Version.Split('+')[0];

    /// <summary>Whether <paramref name="artifact"/> is the release that took the snapshot: same version, and the same commit when the snapshot names one.</summary>
    public bool TakenBy(Artifact artifact)
    {
        if (Version == artifact.Version) return true;
        var plus = Version.IndexOf('+');
        if (plus < 0 || Version[..plus] != artifact.Version) return false;
        var commit = Version[(plus + 1)..];
        return commit.Length == 0 || artifact.Commit.StartsWith(commit, StringComparison.OrdinalIgnoreCase) || commit.StartsWith(artifact.Commit, StringComparison.OrdinalIgnoreCase);
    }

    public static IReadOnlyList<Snapshot> ParseList(string output)
    {
        var snapshots = new List<Snapshot>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length < 5 || !DateTimeOffset.TryParse(fields[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) continue;
            snapshots.Add(new Snapshot(fields[0], at.ToUniversalTime(), fields[1], fields[2], Count(fields[3]), Count(fields[4]), fields.Length > 5 ? Count(fields[5]) : 0));
        }
        return [.. snapshots.OrderBy(s => s.TakenAt)];
    }

    /// <summary>The newest snapshot taken at or before <paramref name="at"/> (the newest of all without it), as restore-from picks.</summary>
    public static Snapshot? Choose(IReadOnlyList<Snapshot> snapshots, DateTimeOffset? at) =>
        snapshots.LastOrDefault(s => at is null || s.TakenAt <= at);

    private static long Count(string field) => long.TryParse(field.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
