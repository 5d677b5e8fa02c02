using Storagectl.Releases;

namespace Storagectl.Releases;

/// <summary>
/// The next version from the commits since the last release: a breaking change bumps major, a feat minor, a fix or
/// perf patch. Commits of other types alone (chore, docs, ci, refactor, …) are nothing to release unless a version
/// is asked for. Before the first release the base is 0.0.0, so a first feat gives 0.1.0.
/// </summary>
public static class VersionCalculator
{
    public static Bump BumpFor(IEnumerable<ConventionalCommit> commits) => commits.Select(c => c.Bump).DefaultIfEmpty(Bump.None).Max();

    /// <summary>The computed next version, or null when no commit asks for a release.</summary>
    public static SemanticVersion? Next(SemanticVersion? last, IReadOnlyList<ConventionalCommit> commits)
    {
        var bump = BumpFor(commits);
        return bump == Bump.None ? null : (last ?? SemanticVersion.Zero).Next(bump);
    }

    /// <summary>The version to release: <paramref name="requested"/> when given (it must be newer), otherwise computed.</summary>
    public static SemanticVersion Choose(ReleaseTag? last, IReadOnlyList<ConventionalCommit> commits, string? requested)
    {
        var since = last is null ? "the start of the history" : last.Name;
        if (commits.Count == 0) throw new ReleaseException($"nothing to release: no commits since {since}");
        if (requested is not null)
        {
            var text = requested.StartsWith('v') ? requested[1..] : requested;
            if (!SemanticVersion.TryParse(text, out var version))
                throw new ReleaseException($"--version '{requested}' is not a semantic version: use MAJOR.MINOR.PATCH, e.g. 1.4.0 (or 2.0.0-rc.1)");
            if (last is not null && version <= last.Version)
                throw new ReleaseException($"--version {version} is not greater than the last release {last.Name}");
            return version;
        }
        return Next(last?.Version, commits)
            ?? throw new ReleaseException($"nothing to release since {since}: {commits.Count} commit(s) but no feat, fix, perf or breaking change; pass --version X.Y.Z to release anyway");
    }
}
