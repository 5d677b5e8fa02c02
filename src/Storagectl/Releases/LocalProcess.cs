using System.Diagnostics;
using Storagectl.Hosts;

namespace Storagectl.Releases;

/// <summary>Runs a program on the deploying machine (git, dotnet, tar) and captures what it printed.</summary>
public static class LocalProcess
{
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, string workingDirectory, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new CommandResult(process.ExitCode, await output, await errors);
    }

    public static async Task<string> RequireAsync(string file, IEnumerable<string> args, string workingDirectory, CancellationToken cancellationToken = default)
    {
        var list = args.ToList();
        var result = await RunAsync(file, list, workingDirectory, cancellationToken);
        return result.Succeeded ? result.Output.Trim() : throw new ReleaseException($"{file} {string.Join(' ', list)} failed: {result.Reason}");
    }
}

public sealed class ReleaseException(string message) : Exception(message);
