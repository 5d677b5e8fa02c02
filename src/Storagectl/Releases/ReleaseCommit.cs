namespace Storagectl.Releases;

/// <summary>
/// How a release is recorded on the current branch, shared by release and hotfix: the changelog section committed as
/// <c>chore(release): vX.Y.Z</c> and an annotated tag on that commit whose message is the same section.
/// </summary>
public static class ReleaseCommit
{
    public static IReadOnlyList<GitCommand> Commands(ReleaseTag tag, string section) =>
    [
        GitCommand.Of("add", Changelog.FileName),
        GitCommand.Of("commit", "-m", $"chore(release): {tag}"),
        // verbatim: git's default clean-up would drop the "## …" lines of the section as if they were comments.
        new(["tag", "-a", tag.Name, "--cleanup=verbatim", "-m", section], $"git tag -a {tag} -m '<the changelog section above>'"),
    ];

    public static async Task WriteChangelogAsync(Git git, string section)
    {
        var file = Path.Combine(git.Repository, Changelog.FileName);
        var existing = File.Exists(file) ? await File.ReadAllTextAsync(file) : null;
        await File.WriteAllTextAsync(file, Changelog.Insert(existing, section));
    }
}
