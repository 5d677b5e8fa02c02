namespace Storagectl.Processes;

/// <summary>How a process ended, with what it printed: the one result of every program storagectl runs, here or on a host.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Errors)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last non-empty line of stderr (or stdout): what a person needs to see when a step fails.</summary>
    public string Reason => (Errors.Trim().Length > 0 ? Errors : Output).Trim().Split('\n').LastOrDefault()?.Trim() is { Length: > 0 } line
        ? line : $"exit code {ExitCode}";
}

/// <summary>A program that had to succeed did not: its command line and its reason.</summary>
public sealed class ProcessFailedException(string message) : Exception(message);
