using System.Text.RegularExpressions;
using Storagectl.Releases;
using static Storagectl.Releases.ReleaseFlow;

namespace Storagectl.Releases;

/// <summary>The result of <c>hotfix finish</c>: released either way; <see cref="Conflicts"/> lists what stopped the backport.</summary>
public sealed record HotfixOutcome(string Branch, ReleaseTag Tag, string Section, IReadOnlyList<string> Conflicts, GitCommand Push, bool Pushed)
{
    public bool BackportedToDev => Conflicts.Count == 0;
}

/// <summary>
/// <c>storagectl hotfix start|finish</c>: a fix branched from the last release, merged into main and tagged as the next
/// patch version, then merged from main into dev so the fix is not lost in the next release.
/// </summary>
public sealed partial class HotfixFlow(Git git, TimeProvider clock)
{
    public const string Prefix = "hotfix/";

    /// <summary>Creates hotfix/<paramref name="name"/> at the latest release on main and checks it out.</summary>
    public async Task<(string Branch, ReleaseTag From)> StartAsync(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw new ReleaseException($"'{name}' is not a hotfix name: use lowercase letters, digits and single dashes, e.g. login-timeout");
        var branch = Prefix + name;
        await git.RequireCleanTreeAsync();
        if (await git.RefExistsAsync($"refs/heads/{branch}")) throw new ReleaseException($"the branch {branch} already exists");
        if (!await git.RefExistsAsync($"refs/heads/{Main}")) throw new ReleaseException($"there is no {Main} branch here");
        await git.FetchOriginAsync();
        await git.RequireNotBehindOriginAsync(Main);
        var from = await git.LastReleaseAsync(Main)
            ?? throw new ReleaseException($"{Main} has no release tag (v*) yet: there is nothing to hotfix, cut a release first");
        await git.RunAsync("checkout", "--quiet", "-b", branch, $"refs/tags/{from}");
        return (branch, from);
    }

    /// <summary>
    /// Merges the current hotfix branch into main, records the next patch release there, and merges main into dev.
    /// When that backport conflicts it is undone (dev stays as it was) and the conflicting files are reported.
    /// </summary>
    public async Task<HotfixOutcome> FinishAsync(bool push)
    {
        var branch = await git.CurrentBranchAsync();
        if (branch is null || !branch.StartsWith(Prefix, StringComparison.Ordinal))
            throw new ReleaseException($"{(branch is null ? "HEAD is detached" : $"on {branch}")}, not on a hotfix branch: check out the hotfix/<name> made by `storagectl hotfix start`");
        await git.RequireCleanTreeAsync();
        if (!await git.RefExistsAsync($"refs/heads/{Main}")) throw new ReleaseException($"there is no {Main} branch here");
        if (await git.CountAsync(Main, "HEAD") == 0) throw new ReleaseException($"{branch} has no commits that {Main} lacks: commit the fix first");
        var hasOrigin = await git.HasRemoteAsync("origin");
        if (push && !hasOrigin) throw new ReleaseException("there is no origin remote to push to");
        await git.FetchOriginAsync();
        await git.RequireNotBehindOriginAsync(Main);
        var devIsLocal = await git.RefExistsAsync($"refs/heads/{Dev}");
        if (!devIsLocal && !await git.RefExistsAsync($"refs/remotes/origin/{Dev}"))
            throw new ReleaseException($"there is no {Dev} branch to take the fix back into");
        if (devIsLocal) await git.RequireNotBehindOriginAsync(Dev);

        var previous = await git.LastReleaseAsync(Main)
            ?? throw new ReleaseException($"{Main} has no release tag (v*) yet: a hotfix is the patch after a release");
        var tag = ReleaseTag.For(previous.Version.Next(Bump.Patch));
        if (await git.RefExistsAsync($"refs/tags/{tag}")) throw new ReleaseException($"the tag {tag} already exists");
        var changes = await git.ChangesAsync(Main, "HEAD");
        var links = CommitLinks.FromRemoteUrl(await git.ConfigAsync("remote.origin.url"));
        var section = Changelog.Section(tag.Version, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), changes, links);

        await git.RunAsync("checkout", "--quiet", Main);
        var merge = await git.TryAsync(["merge", "--no-ff", "-m", $"Merge branch '{branch}'", branch]);
        if (!merge.Succeeded)
        {
            var files = await git.ConflictedFilesAsync();
            await git.TryAsync(["merge", "--abort"]);
            await git.RunAsync("checkout", "--quiet", branch);
            throw new ReleaseException($"{branch} does not merge cleanly into {Main} ({(files.Count > 0 ? "conflicts in " + string.Join(", ", files) : Git.OneLine(merge))}): " +
                $"merge {Main} into {branch}, resolve, commit, and finish again; nothing was changed");
        }
        await ReleaseCommit.WriteChangelogAsync(git, section);
        foreach (var command in ReleaseCommit.Commands(tag, section)) await git.RunAsync(command);

        var pushCommand = GitCommand.Of("push", "--atomic", "origin", $"refs/heads/{Main}", $"refs/heads/{Dev}", $"refs/tags/{tag}");
        var conflicts = await BackportAsync(devIsLocal, tag);
        if (conflicts.Count > 0) return new HotfixOutcome(branch, tag, section, conflicts, pushCommand, Pushed: false);
        if (push) await git.RunAsync(pushCommand);
        return new HotfixOutcome(branch, tag, section, [], pushCommand, push);
    }

    /// <summary>Merges main into dev; on a conflict aborts so dev is left exactly as it was, and names the files.</summary>
    private async Task<IReadOnlyList<string>> BackportAsync(bool devIsLocal, ReleaseTag tag)
    {
        if (devIsLocal) await git.RunAsync("checkout", "--quiet", Dev);
        else await git.RunAsync("checkout", "--quiet", "-b", Dev, "--track", $"origin/{Dev}");
        var merge = await git.TryAsync(["merge", "--no-edit", "-m", $"Merge {Main} ({tag}) into {Dev}", Main]);
        if (merge.Succeeded) return [];
        var files = await git.ConflictedFilesAsync();
        var abort = await git.TryAsync(["merge", "--abort"]);
        if (files.Count == 0 || !abort.Succeeded) throw new ReleaseException($"merging {Main} into {Dev} failed: {Git.OneLine(merge)}");
        return files;
    }

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();
}
