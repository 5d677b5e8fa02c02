using Storagectl.Releases;

namespace Storagectl.Releases;

/// <summary>The questions the release verbs ask of a repository before they change anything.</summary>
public static class RepositoryState
{
    public static async Task<string?> CurrentBranchAsync(this Git git)
    {
        string[] args = ["symbolic-ref", "--quiet", "--short", "HEAD"];
        var result = await git.TryAsync(args);
        // Exit code 1 is a detached HEAD; anything else (not a repository, …) is an error worth showing.
        return result.Succeeded ? result.Output.Trim() : result.ExitCode == 1 ? null : throw Git.Failure(args, result);
    }

    public static async Task<bool> RefExistsAsync(this Git git, string reference) =>
        (await git.TryAsync(["rev-parse", "--verify", "--quiet", reference + "^{commit}"])).Succeeded;

    /// <summary>How many commits <paramref name="to"/> has that <paramref name="from"/> lacks.</summary>
    public static async Task<int> CountAsync(this Git git, string from, string to) =>
        int.Parse(await git.RunAsync("rev-list", "--count", $"{from}..{to}"));

    public static async Task<bool> HasRemoteAsync(this Git git, string remote) =>
        (await git.RunAsync("remote")).Split('\n').Contains(remote);

    public static async Task<string?> ConfigAsync(this Git git, string key)
    {
        var result = await git.TryAsync(["config", "--get", key]);
        return result.Succeeded ? result.Output.Trim() : null;
    }

    public static async Task<IReadOnlyList<string>> ConflictedFilesAsync(this Git git) =>
        (await git.RunAsync("diff", "--name-only", "--diff-filter=U")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static async Task RequireCleanTreeAsync(this Git git)
    {
        string[] args = ["status", "--porcelain"];
        var status = await git.TryAsync(args);
        if (!status.Succeeded) throw Git.Failure(args, status);
        // Not trimmed: each line starts with two status columns, which may be spaces.
        var changed = status.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (changed.Length > 0)
            throw new ReleaseException($"the working tree is not clean ({changed.Length} changed or untracked, e.g. {changed[0][3..]}): commit or stash first");
    }

    /// <summary>Refuses when origin has commits of <paramref name="branch"/> that the local branch lacks.</summary>
    public static async Task RequireNotBehindOriginAsync(this Git git, string branch)
    {
        if (!await git.RefExistsAsync($"refs/remotes/origin/{branch}")) return;
        var behind = await git.CountAsync(branch, $"origin/{branch}");
        if (behind > 0)
            throw new ReleaseException($"{branch} is {behind} commit(s) behind origin/{branch}: update it first (git checkout {branch} && git pull --ff-only)");
    }

    /// <summary>Brings origin's branches and tags up to date, when there is an origin.</summary>
    public static async Task FetchOriginAsync(this Git git)
    {
        if (await git.HasRemoteAsync("origin")) await git.RunAsync("fetch", "--quiet", "origin");
    }
}
