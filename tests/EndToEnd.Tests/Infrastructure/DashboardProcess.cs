using System.Collections.Concurrent;
using System.Diagnostics;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>`storagectl dashboard` run as an operator runs it, with the URL it prints; stopped with SIGTERM as Ctrl+C would.</summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private DashboardProcess(Process process, ConcurrentQueue<string> lines, Uri url) => (_process, _lines, Url) = (process, lines, url);

    /// <summary>The URL with its token, as printed.</summary>
    public Uri Url { get; }

    /// <summary>The same address without the token.</summary>
    public Uri Address => new(Url.GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>Everything it wrote so far (a page action's run prints its steps here).</summary>
    public string Output => string.Join('\n', _lines);

    public static async Task<DashboardProcess> StartAsync(TestFleet fleet, params string[] options)
    {
        var lines = new ConcurrentQueue<string>();
        var url = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = fleet.StartStorageCtl("e2e-test", line =>
        {
            lines.Enqueue(line);
            if (line.Trim() is var text && text.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)) url.TrySetResult(new Uri(text));
        }, ["dashboard", .. options]);
        try
        {
            return new DashboardProcess(process, lines, await url.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"storagectl dashboard printed no URL within 60 s:\n{string.Join('\n', lines)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await TestProcess.RunAsync(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString()]));
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(stopped.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }
}
