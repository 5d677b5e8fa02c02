using System.Diagnostics;
using Storagectl.Hosts;

namespace Storagectl.Releases;

/// <summary>Runs a program on the deploying machine (git, dotnet, tar) and captures what it printed.</summary>
public static class LocalProcess
{
    /// <summary>Runs <paramref name="file"/> with stdin closed (nothing may wait for a person), plus <paramref name="environment"/> over ours.</summary>
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, string workingDirectory, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new ReleaseException($"could not start {file}");
        process.StandardInput.Close();
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
