using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Storagectl.Releases;

public enum Bump { None, Patch, Minor, Major }

/// <summary>
/// A semantic version (semver.org 2.0.0) as used in release tags: MAJOR.MINOR.PATCH with an optional pre-release.
/// Build metadata is refused: it plays no part in ordering, so two tags could name the same release.
/// </summary>
public sealed partial record SemanticVersion(int Major, int Minor, int Patch, string Prerelease = "") : IComparable<SemanticVersion>
{
    public static readonly SemanticVersion Zero = new(0, 0, 0);

    public bool IsPrerelease => Prerelease.Length > 0;

    public static bool TryParse(string text, [NotNullWhen(true)] out SemanticVersion? version)
    {
        version = null;
        var match = Pattern().Match(text);
        if (!match.Success
            || !int.TryParse(match.Groups["major"].Value, out var major)
            || !int.TryParse(match.Groups["minor"].Value, out var minor)
            || !int.TryParse(match.Groups["patch"].Value, out var patch)) return false;
        version = new SemanticVersion(major, minor, patch, match.Groups["pre"].Value);
        return true;
    }

    /// <summary>
    /// The next version for a change of the given size. From a pre-release the bump lands on the release it was
    /// heading for when that is big enough (2.0.0-rc.1 + fix = 2.0.0, 1.2.1-rc.1 + feat = 1.3.0), as npm does.
    /// </summary>
    public SemanticVersion Next(Bump bump) => bump switch
    {
        Bump.Major when IsPrerelease && Minor == 0 && Patch == 0 => new(Major, 0, 0),
        Bump.Major => new(Major + 1, 0, 0),
        Bump.Minor when IsPrerelease && Patch == 0 => new(Major, Minor, 0),
        Bump.Minor => new(Major, Minor + 1, 0),
        Bump.Patch when IsPrerelease => new(Major, Minor, Patch),
        Bump.Patch => new(Major, Minor, Patch + 1),
        _ => this,
    };

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null) return 1;
        var core = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (core != 0) return core;
        if (IsPrerelease != other.IsPrerelease) return IsPrerelease ? -1 : 1; // 1.0.0-rc.1 < 1.0.0
        var (mine, theirs) = (Prerelease.Split('.'), other.Prerelease.Split('.'));
        foreach (var (a, b) in mine.Zip(theirs))
        {
            var order = CompareIdentifier(a, b);
            if (order != 0) return order;
        }
        return mine.Length.CompareTo(theirs.Length);
    }

    public static bool operator >(SemanticVersion a, SemanticVersion b) => a.CompareTo(b) > 0;
    public static bool operator <(SemanticVersion a, SemanticVersion b) => a.CompareTo(b) < 0;
    public static bool operator >=(SemanticVersion a, SemanticVersion b) => a.CompareTo(b) >= 0;
    public static bool operator <=(SemanticVersion a, SemanticVersion b) => a.CompareTo(b) <= 0;

    public override string ToString() => IsPrerelease ? $"{Major}.{Minor}.{Patch}-{Prerelease}" : $"{Major}.{Minor}.{Patch}";

    // Numeric identifiers compare as numbers and sort before alphanumeric ones (semver.org, rule 11).
    private static int CompareIdentifier(string a, string b)
    {
        var (aNumeric, bNumeric) = (a.All(char.IsAsciiDigit), b.All(char.IsAsciiDigit));
        if (aNumeric && bNumeric) return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
        if (aNumeric != bNumeric) return aNumeric ? -1 : 1;
        return string.CompareOrdinal(a, b);
    }

    [GeneratedRegex(@"^(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)\.(?<patch>0|[1-9]\d*)(?:-(?<pre>(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$")]
    private static partial Regex Pattern();
}
