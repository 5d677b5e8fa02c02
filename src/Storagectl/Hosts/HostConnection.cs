using System.Diagnostics;
using System.Text;
using Storagectl.Processes;

namespace Storagectl.Hosts;

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

    public Task<CommandResult> RunAsync(string script, Stream? input, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(StartInfo(script), input, cancellationToken);

    /// <summary>Runs a script whose stdout is bytes (a database copy, say) and copies them into <paramref name="destination"/>.</summary>
    public Task<CommandResult> DownloadAsync(string script, Stream destination, CancellationToken cancellationToken = default) =>
        ProcessRunner.DownloadAsync(StartInfo(script), destination, cancellationToken);

    /// <summary>The script's process: bash here, or ssh running bash there.</summary>
    protected abstract ProcessStartInfo StartInfo(string script);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>This machine, without ssh: for a host whose transport is local.</summary>
public sealed class LocalConnection(string name) : HostConnection
{
    public override string Name => name;

    protected override ProcessStartInfo StartInfo(string script) => new("bash", ["-c", script]);
}
