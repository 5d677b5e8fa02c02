using Storagectl.HostCommands;
using Storagectl.Processes;

namespace Storagectl.Releases;

/// <summary>
/// Runs git in one repository. A failing git command becomes a <see cref="ReleaseException"/> that names the command
/// and carries git's own stderr on one line, so the person sees git's reason rather than a stack trace.
/// </summary>
public sealed class Git(string repository)
{
    public string Repository { get; } = Path.GetFullPath(repository);

    /// <summary>Never stop to ask for a password or open an editor: storagectl runs unattended in CI as well.</summary>
    private static readonly Dictionary<string, string> Unattended = new()
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_EDITOR"] = "true",
        ["GIT_MERGE_AUTOEDIT"] = "no",
    };

    public Task<CommandResult> TryAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync("git", args, Repository, cancellationToken, Unattended);

    /// <summary>Runs git and returns its trimmed stdout; throws with git's stderr when it fails.</summary>
    public async Task<string> RunAsync(params string[] args)
    {
        var result = await TryAsync(args);
        return result.Succeeded ? result.Output.Trim() : throw Failure(args, result);
    }

    public Task<string> RunAsync(GitCommand command) => RunAsync([.. command.Args]);

    public static ReleaseException Failure(IReadOnlyList<string> args, CommandResult result) =>
        new($"{GitCommand.Show(args)} failed: {OneLine(result)}");

    /// <summary>git's stderr (or stdout) as one line: hints dropped, the remaining lines joined.</summary>
    public static string OneLine(CommandResult result)
    {
        var text = result.Errors.Trim().Length > 0 ? result.Errors : result.Output;
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("hint:", StringComparison.Ordinal));
        return string.Join(" / ", lines) is { Length: > 0 } line ? line : $"exit code {result.ExitCode}";
    }
}

/// <summary>A git command as data: what a dry run prints is exactly what a real run executes.</summary>
public sealed record GitCommand(IReadOnlyList<string> Args, string? Shown = null)
{
    public static GitCommand Of(params string[] args) => new(args);

    public override string ToString() => Shown ?? Show(Args);

    public static string Show(IEnumerable<string> args) => "git " + string.Join(' ', args.Select(Shell.Quote));
}
