namespace Storagectl.Releases;

/// <summary>A release is a tag <c>vX.Y.Z</c> (optionally with a pre-release); other tags are not releases.</summary>
public sealed record ReleaseTag(string Name, SemanticVersion Version)
{
    public static ReleaseTag For(SemanticVersion version) => new($"v{version}", version);

    public static ReleaseTag? TryParse(string name) =>
        name.StartsWith('v') && SemanticVersion.TryParse(name[1..], out var version) ? new ReleaseTag(name, version) : null;

    public override string ToString() => Name;
}
