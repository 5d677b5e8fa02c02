using System.Diagnostics;

namespace StorageApi.Tests.Infrastructure;

public sealed record ProcessResult(int ExitCode, string Output, string Errors);

/// <summary>Starts programs with a clean, explicit environment: nothing of the test process leaks into the program under test.</summary>
public static class ProcessRunner
{
    /// <summary>Just enough of the machine for dotnet programs to start.</summary>
    private static readonly string[] Inherited = ["PATH", "HOME", "DOTNET_ROOT", "TMPDIR", "LANG"];

    public static Process Start(string file, IEnumerable<string> args, string workingDirectory, IDictionary<string, string?> environment, bool inheritEnvironment = false)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (!inheritEnvironment)
        {
            start.Environment.Clear();
            foreach (var name in Inherited)
                if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        }
        foreach (var (key, value) in environment)
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        return Prerequisites.Start(start);
    }

    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, string workingDirectory,
        IDictionary<string, string?> environment, TimeSpan timeout, bool inheritEnvironment = false)
    {
        using var process = Start(file, args, workingDirectory, environment, inheritEnvironment);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }
        return new ProcessResult(process.ExitCode, await output, await errors);
    }
}
