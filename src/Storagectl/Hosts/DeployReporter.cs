using System.Diagnostics;

namespace Storagectl.Hosts;

/// <summary>Where a running deploy tells people what happens: live per-host progress, or plain lines for CI logs.</summary>
public interface IDeployReporter
{
    void Started(string target, string step);
    void Succeeded(string target, string step, TimeSpan took);
    void Failed(string target, string step, string reason);
    void Info(string message);

    /// <summary>A step that waits (health gate, bake window) says what it waits for and how far along it is, after every check.</summary>
    void Waiting(string target, string step, string status);
}

/// <summary>One line per event, prefixed with the target: readable in CI logs and greppable afterwards.</summary>
/// <param name="waitingEvery">How often a waiting step gets a line: often enough to show the deploy is alive, not once per check.</param>
public sealed class PlainReporter(TextWriter writer, TimeSpan? waitingEvery = null) : IDeployReporter
{
    public static readonly TimeSpan DefaultWaitingEvery = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly TimeSpan _waitingEvery = waitingEvery ?? DefaultWaitingEvery;
    private readonly Dictionary<string, long> _lastLine = [];

    /// <summary>One line per finished step is enough in a log; the clock starts here for the step's waiting lines.</summary>
    public void Started(string target, string step)
    {
        lock (_gate) _lastLine[target] = Stopwatch.GetTimestamp();
    }

    public void Succeeded(string target, string step, TimeSpan took) => Write($"{target,-24} ok  {step} ({took.TotalSeconds:0.0}s)");
    public void Failed(string target, string step, string reason) => Write($"{target,-24} ERR {step}: {reason}");
    public void Info(string message) => Write(message);

    public void Waiting(string target, string step, string status)
    {
        lock (_gate)
        {
            if (_lastLine.TryGetValue(target, out var last) && Stopwatch.GetElapsedTime(last) < _waitingEvery) return;
            _lastLine[target] = Stopwatch.GetTimestamp();
        }
        Write($"{target,-24} ... {status}");
    }

    private void Write(string line)
    {
        lock (_gate) writer.WriteLine(line);
    }
}

internal static class Timing
{
    public static async Task<(T Result, TimeSpan Took)> MeasureAsync<T>(Func<Task<T>> action)
    {
        var clock = Stopwatch.StartNew();
        var result = await action();
        return (result, clock.Elapsed);
    }
}
