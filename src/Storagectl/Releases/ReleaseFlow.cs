using System.Text;
using Storagectl.Releases;

namespace Storagectl.Releases;

public sealed record ReleaseRequest(string? Version, bool DryRun, bool Push, bool SkipTests, string TestCommand);

/// <summary>Everything a release will do, worked out before anything changes; a dry run prints it and stops.</summary>
public sealed record ReleasePlan(ReleaseTag? Previous, ReleaseTag Tag, string Branch, int Changes, string Section,
    string? TestCommand, IReadOnlyList<GitCommand> Commands, GitCommand Push, bool Pushing)
{
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append($"would release {Tag} ({(Previous is null ? "first release" : $"last release {Previous}")}, {Changes} commit(s))\n\n");
        text.Append(Section).Append("\nwould run:\n");
        text.Append(TestCommand is null ? "  (no tests: --skip-tests)\n" : $"  {HostCommands.Shell.InBash(TestCommand)}\n");
        text.Append($"  write the section above at the top of {Changelog.FileName}\n");
        foreach (var command in Commands) text.Append($"  {command}\n");
        text.Append(Pushing ? $"  {Push}\n" : "  (no push: add --push to push main, the tag and the release branch)\n");
        return text.ToString();
    }
}

/// <summary>
/// <c>storagectl release</c>: from an up-to-date, clean main that contains origin/dev and passes its tests, compute the
/// next version from the commits, write the changelog, commit, tag vX.Y.Z and branch release/vX.Y.Z; push on request.
/// </summary>
public sealed class ReleaseFlow(Git git, TimeProvider clock, TextWriter log)
{
    public const string Main = "main";
    public const string Dev = "dev";

    public async Task<ReleasePlan> RunAsync(ReleaseRequest request)
    {
        var plan = await PlanAsync(request);
        if (request.DryRun) return plan;
        if (plan.TestCommand is null)
            log.WriteLine($"WARNING: --skip-tests: releasing {plan.Tag} WITHOUT running the tests");
        else
            await TestCommand.RequireGreenAsync(plan.TestCommand, git.Repository, log);
        await ApplyAsync(plan);
        return plan;
    }

    /// <summary>Every refusal but the tests, then the plan. Changes nothing but origin's remote-tracking branches (fetch).</summary>
    public async Task<ReleasePlan> PlanAsync(ReleaseRequest request)
    {
        var branch = await git.CurrentBranchAsync();
        if (branch != Main)
            throw new ReleaseException($"{(branch is null ? "HEAD is detached" : $"on {branch}")}, not on {Main}: releases are cut from {Main} (git checkout {Main})");
        await git.RequireCleanTreeAsync();
        if (!await git.HasRemoteAsync("origin"))
            throw new ReleaseException("there is no origin remote: a release is checked against origin/main and origin/dev");
        await git.FetchOriginAsync();
        if (!await git.RefExistsAsync($"refs/remotes/origin/{Main}"))
            throw new ReleaseException($"origin has no {Main} branch: push {Main} first");
        await git.RequireNotBehindOriginAsync(Main);
        if (!await git.RefExistsAsync($"refs/remotes/origin/{Dev}"))
            throw new ReleaseException($"origin has no {Dev} branch: a release takes what is on {Dev}, so push {Dev} first");
        var unmerged = await git.CountAsync("HEAD", $"origin/{Dev}");
        if (unmerged > 0)
            throw new ReleaseException($"origin/{Dev} has {unmerged} commit(s) that {Main} lacks: merge {Dev} into {Main} first (a pull request {Dev} -> {Main})");

        var previous = await git.LastReleaseAsync("HEAD");
        var changes = await git.ChangesAsync(previous is null ? null : $"refs/tags/{previous}", "HEAD");
        var tag = ReleaseTag.For(VersionCalculator.Choose(previous, changes, request.Version));
        var releaseBranch = $"release/{tag}";
        if (await git.RefExistsAsync($"refs/tags/{tag}")) throw new ReleaseException($"the tag {tag} already exists");
        if (await git.RefExistsAsync($"refs/heads/{releaseBranch}") || await git.RefExistsAsync($"refs/remotes/origin/{releaseBranch}"))
            throw new ReleaseException($"the branch {releaseBranch} already exists");

        var links = CommitLinks.FromRemoteUrl(await git.ConfigAsync("remote.origin.url"));
        var section = Changelog.Section(tag.Version, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), changes, links);
        var commands = ReleaseCommit.Commands(tag, section).Append(GitCommand.Of("branch", releaseBranch)).ToList();
        var push = GitCommand.Of("push", "--atomic", "origin", $"refs/heads/{Main}", $"refs/tags/{tag}", $"refs/heads/{releaseBranch}");
        return new ReleasePlan(previous, tag, releaseBranch, changes.Count, section, request.SkipTests ? null : request.TestCommand, commands, push, request.Push);
    }

    public async Task ApplyAsync(ReleasePlan plan)
    {
        await ReleaseCommit.WriteChangelogAsync(git, plan.Section);
        foreach (var command in plan.Commands) await git.RunAsync(command);
        if (!plan.Pushing) return;
        try
        {
            await git.RunAsync(plan.Push);
        }
        catch (ReleaseException e)
        {
            throw new ReleaseException($"{e.Message}; {plan.Tag} is committed, tagged and branched here, push it with: {plan.Push}");
        }
    }
}
