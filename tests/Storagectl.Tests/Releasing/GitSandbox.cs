using System.Diagnostics;

namespace Storagectl.Tests.Releasing;

/// <summary>
/// A real repository to release from: a bare "origin" and a working clone with main and dev pushed, in a temporary
/// folder removed afterwards. Each clone has its own user.name/user.email; git reads no global configuration.
/// </summary>
public sealed class GitSandbox : IDisposable
{
    private readonly TempFolder _folder = new("storagectl-git-");

    private GitSandbox()
    {
        Origin = Path.Combine(Root, "origin.git");
        Work = Path.Combine(Root, "work");
    }

    public string Root => _folder.Path;
    public string Origin { get; }
    public string Work { get; }

    /// <summary>origin with main (one commit) and dev (at main), cloned into <see cref="Work"/> and checked out on main.</summary>
    public static async Task<GitSandbox> CreateAsync()
    {
        var sandbox = new GitSandbox();
        await sandbox.GitInAsync(sandbox.Root, "init", "--quiet", "--bare", "--initial-branch=main", sandbox.Origin);
        await sandbox.GitInAsync(sandbox.Root, "init", "--quiet", "--initial-branch=main", sandbox.Work);
        await sandbox.ConfigureAsync(sandbox.Work);
        await sandbox.GitAsync("remote", "add", "origin", sandbox.Origin);
        await sandbox.CommitAsync("chore: start the project", "README.md", "# project\n");
        await sandbox.GitAsync("push", "--quiet", "-u", "origin", "main");
        await sandbox.GitAsync("push", "--quiet", "-u", "origin", "main:dev");
        await sandbox.GitAsync("branch", "--quiet", "dev", "origin/dev");
        return sandbox;
    }

    /// <summary>Another clone of origin, as a colleague would have, to push behind this one's back.</summary>
    public async Task<string> CloneAsync(string name)
    {
        var folder = Path.Combine(Root, name);
        await GitInAsync(Root, "clone", "--quiet", Origin, folder);
        await ConfigureAsync(folder);
        return folder;
    }

    public Task<string> GitAsync(params string[] args) => GitInAsync(Work, args);

    public async Task<string> GitInAsync(string folder, params string[] args) =>
        (await TestProcess.RequireAsync(new ProcessStartInfo("git", args) { WorkingDirectory = folder }.WithEnvironment(StoragectlProcess.GitIsolation))).Trim();

    /// <summary>Writes <paramref name="file"/> (new content unless given) and commits it; returns the commit's sha.</summary>
    public Task<string> CommitAsync(string message, string file = "notes.txt", string? content = null, string? folder = null) =>
        CommitInAsync(folder ?? Work, message, file, content);

    public async Task<string> CommitInAsync(string folder, string message, string file = "notes.txt", string? content = null)
    {
        var path = Path.Combine(folder, file);
        await File.WriteAllTextAsync(path, content ?? $"{message}\n{Guid.NewGuid()}\n");
        await GitInAsync(folder, "add", file);
        await GitInAsync(folder, ["commit", "--quiet", .. message.Split("\n\n", 2).SelectMany(part => new[] { "-m", part })]);
        return await GitInAsync(folder, "rev-parse", "HEAD");
    }

    /// <summary>Commits on dev, then merges dev into main with a merge commit, as a merged pull request would; pushes both.</summary>
    public async Task<IReadOnlyList<string>> LandOnMainAsync(params string[] messages)
    {
        await GitAsync("checkout", "--quiet", "dev");
        var shas = new List<string>();
        foreach (var message in messages) shas.Add(await CommitAsync(message, $"{Guid.NewGuid():N}.txt"));
        await GitAsync("checkout", "--quiet", "main");
        await GitAsync("merge", "--quiet", "--no-ff", "-m", "Merge branch 'dev'", "dev");
        await GitAsync("push", "--quiet", "origin", "main", "dev");
        return shas;
    }

    /// <summary>Tags main as an earlier release, pushed, as if it had been released before.</summary>
    public async Task TagReleaseAsync(string tag)
    {
        await GitAsync("tag", "-a", tag, "-m", $"release {tag}");
        await GitAsync("push", "--quiet", "origin", tag);
    }

    /// <summary>
    /// Branches, tags, HEAD, status and origin's refs: equal before and after means nothing was changed. Remote-tracking
    /// branches are left out, since a fetch may move them.
    /// </summary>
    public async Task<string> SnapshotAsync() =>
        string.Join('\n', await GitAsync("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags"), await GitAsync("rev-parse", "HEAD"),
            await GitAsync("symbolic-ref", "HEAD"), await GitAsync("status", "--porcelain"), await GitInAsync(Origin, "for-each-ref", "--format=%(refname) %(objectname)"));

    public Task<ProcessResult> StoragectlAsync(params string[] args) => StoragectlProcess.RunAsync([.. args, "--repo", Work]);

    public void Dispose() => _folder.Dispose();

    private async Task ConfigureAsync(string folder)
    {
        await GitInAsync(folder, "config", "user.name", "Release Tester");
        await GitInAsync(folder, "config", "user.email", "release-tester@example.com");
        await GitInAsync(folder, "config", "commit.gpgsign", "false");
        await GitInAsync(folder, "config", "tag.gpgsign", "false");
    }
}
