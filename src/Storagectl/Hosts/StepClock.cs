using System.Diagnostics;

namespace Storagectl.Hosts;

/// <summary>
/// Passes every event on to <paramref name="inner"/> and remembers when each step started and succeeded (by title), so a
/// verb can say how long a stretch of its plan took, such as a move's write hold, and which step took most of it.
/// </summary>
public sealed class StepClock(IDeployReporter inner) : IDeployReporter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TimeSpan> _started = [];
    private readonly Dictionary<string, TimeSpan> _succeeded = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Started(string target, string step)
    {
        lock (_gate) _started[step] = _clock.Elapsed;
        inner.Started(target, step);
    }

    public void Succeeded(string target, string step, TimeSpan took)
    {
        lock (_gate) _succeeded[step] = _clock.Elapsed;
        inner.Succeeded(target, step, took);
    }

    public void Failed(string target, string step, string reason) => inner.Failed(target, step, reason);
    public void Info(string message) => inner.Info(message);
    public void Waiting(string target, string step, string status) => inner.Waiting(target, step, status);

    /// <summary>From the end of step <paramref name="from"/> to the end of step <paramref name="until"/>; null unless both succeeded.</summary>
    public TimeSpan? Between(string from, string until)
    {
        lock (_gate)
            return _succeeded.TryGetValue(from, out var start) && _succeeded.TryGetValue(until, out var end) ? end - start : null;
    }

    /// <summary>How long a step that succeeded took, from its start.</summary>
    public TimeSpan? Took(string step)
    {
        lock (_gate)
            return _started.TryGetValue(step, out var start) && _succeeded.TryGetValue(step, out var end) ? end - start : null;
    }
}
