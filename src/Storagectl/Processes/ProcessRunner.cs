using System.Diagnostics;

namespace Storagectl.Processes;

/// <summary>
/// The one way storagectl runs a program: git, dotnet and tar here, bash here or ssh to a host. Nothing waits for a
/// person: stdin gets the given input (or nothing) and is closed; a cancelled run kills the process and its children.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="file"/> in <paramref name="workingDirectory"/>, with <paramref name="environment"/> over ours.</summary>
    public static Task<CommandResult> RunAsync(string file, IEnumerable<string> args, string workingDirectory, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = workingDirectory };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return RunAsync(start, null, cancellationToken);
    }

    /// <summary>Like <see cref="RunAsync(string, IEnumerable{string}, string, CancellationToken, IReadOnlyDictionary{string, string}?)"/>, returning trimmed stdout; throws with the reason when it fails.</summary>
    public static async Task<string> RequireAsync(string file, IReadOnlyList<string> args, string workingDirectory, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(file, args, workingDirectory, cancellationToken);
        return result.Succeeded ? result.Output.Trim() : throw new ProcessFailedException($"{file} {string.Join(' ', args)} failed: {result.Reason}");
    }

    /// <summary>Streams <paramref name="input"/> to the program's stdin and captures stdout and stderr as text.</summary>
    public static async Task<CommandResult> RunAsync(ProcessStartInfo start, Stream? input, CancellationToken cancellationToken)
    {
        using var process = Start(start);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            if (input is not null) await input.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
        }
        catch (IOException)
        {
            // The far end closed stdin (connection cut, script failed early): the exit code below tells what happened.
        }
        finally
        {
            try { process.StandardInput.Close(); } catch (IOException) { }
        }
        await WaitAsync(process, cancellationToken);
        return new CommandResult(process.ExitCode, await output, await errors);
    }

    /// <summary>Copies the program's stdout, as bytes, into <paramref name="destination"/> (a database copy, say).</summary>
    public static async Task<CommandResult> DownloadAsync(ProcessStartInfo start, Stream destination, CancellationToken cancellationToken)
    {
        using var process = Start(start);
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(destination, cancellationToken);
        await WaitAsync(process, cancellationToken);
        return new CommandResult(process.ExitCode, "", await errors);
    }

    /// <summary>Writes every line the program prints, stdout and stderr alike, to <paramref name="log"/> as it comes; returns the exit code.</summary>
    public static async Task<int> RunEchoingAsync(ProcessStartInfo start, TextWriter log, CancellationToken cancellationToken)
    {
        using var process = Start(start);
        process.StandardInput.Close();
        // Both streams arrive on their own threads; one lock keeps their lines whole.
        var gate = new Lock();
        void Forward(object _, DataReceivedEventArgs line)
        {
            if (line.Data is null) return;
            lock (gate) log.WriteLine(line.Data);
        }
        process.OutputDataReceived += Forward;
        process.ErrorDataReceived += Forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitAsync(process, cancellationToken);
        return process.ExitCode;
    }

    private static Process Start(ProcessStartInfo start)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
    }

    private static async Task WaitAsync(Process process, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
