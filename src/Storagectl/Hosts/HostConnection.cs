using System.Diagnostics;
using System.Text;

namespace Storagectl.Hosts;

public sealed record CommandResult(int ExitCode, string Output, string Errors)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last non-empty line of stderr (or stdout): what a person needs to see when a step fails.</summary>
    public string Reason => (Errors.Trim().Length > 0 ? Errors : Output).Trim().Split('\n').LastOrDefault()?.Trim() is { Length: > 0 } line
        ? line : $"exit code {ExitCode}";
}

/// <summary>
/// Runs bash scripts on one host. Every step of a plan goes through <see cref="RunAsync"/>; input (secrets, artifact
/// bytes) is streamed to the script's stdin and never appears on a command line.
/// </summary>
public abstract class HostConnection : IAsyncDisposable
{
    public abstract string Name { get; }

    public async Task<CommandResult> RunAsync(string script, string? input = null, CancellationToken cancellationToken = default)
    {
        using var stream = input is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(input));
        return await RunAsync(script, stream, cancellationToken);
    }

    public async Task<CommandResult> RunAsync(string script, Stream? input, CancellationToken cancellationToken)
    {
        using var process = Start(script);
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
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new CommandResult(process.ExitCode, await output, await errors);
    }

    /// <summary>Runs a script whose stdout is bytes (a database copy, say) and copies them into <paramref name="destination"/>.</summary>
    public async Task<CommandResult> DownloadAsync(string script, Stream destination, CancellationToken cancellationToken = default)
    {
        using var process = Start(script);
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(destination, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new CommandResult(process.ExitCode, "", await errors);
    }

    /// <summary>The script's process (bash here, or ssh running bash there) with all three streams redirected.</summary>
    private Process Start(string script)
    {
        var start = StartInfo(script);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
    }

    protected abstract ProcessStartInfo StartInfo(string script);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>This machine, without ssh: for a host whose transport is local.</summary>
public sealed class LocalConnection(string name) : HostConnection
{
    public override string Name => name;

    protected override ProcessStartInfo StartInfo(string script) => new("bash", ["-c", script]);
}
