using System.Diagnostics;

namespace Storagectl.Hosts;

/// <summary>Where a running deploy tells people what happens: live per-host progress, or plain lines for CI logs.</summary>
public interface IDeployReporter
{
    void Started(string target, string step);
    void Succeeded(string target, string step, TimeSpan took);
    void Failed(string target, string step, string reason);
    void Info(string message);
}

/// <summary>One line per event, prefixed with the target: readable in CI logs and greppable afterwards.</summary>
public sealed class PlainReporter(TextWriter writer) : IDeployReporter
{
    private readonly object _gate = new();

    public void Started(string target, string step) { } // one line per finished step is enough in a log
    public void Succeeded(string target, string step, TimeSpan took) => Write($"{target,-24} ok  {step} ({took.TotalSeconds:0.0}s)");
    public void Failed(string target, string step, string reason) => Write($"{target,-24} ERR {step}: {reason}");
    public void Info(string message) => Write(message);

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
