using System.Text.Json;
using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Runs;

/// <summary>
/// Every run of a plan on this machine also writes its progress (the events the live terminal table gets) as JSON lines
/// to a file of its own under <see cref="RunsFolder"/>, so that `storagectl dashboard` can show a deploy started in
/// another terminal while it happens. The journal is a by-product: when it cannot be written, the run goes on without it.
/// </summary>
public sealed class RunJournal : IDeployReporter, IDisposable
{
    /// <summary>Journals older than this are removed when a new run starts.</summary>
    private static readonly TimeSpan KeptFor = TimeSpan.FromDays(7);

    private readonly IDeployReporter _inner;
    private readonly Lock _gate = new();
    private StreamWriter? _writer;

    private RunJournal(IDeployReporter inner, StreamWriter? writer) => (_inner, _writer) = (inner, writer);

    /// <summary>
    /// Where journals live: STORAGECTL_STATE_DIR, else $XDG_STATE_HOME/storagectl, else ~/.local/state/storagectl; one
    /// folder per user, as a shell's history is.
    /// </summary>
    public static string RunsFolder => Path.Combine(
        MachineEnvironment.Get("STORAGECTL_STATE_DIR")
        ?? Path.Combine(MachineEnvironment.Get("XDG_STATE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state"), "storagectl"),
        "runs");

    /// <summary>Starts the journal of a run of <paramref name="plan"/> with the configuration <paramref name="configFile"/>, passing every event on to <paramref name="inner"/>.</summary>
    public static RunJournal Start(string configFile, DeployPlan plan, IDeployReporter inner)
    {
        var now = DateTimeOffset.UtcNow;
        StreamWriter? writer = null;
        try
        {
            Directory.CreateDirectory(RunsFolder);
            RemoveOld(now);
            var file = Path.Combine(RunsFolder, $"{now:yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}.jsonl");
            writer = new StreamWriter(new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: this run is not journaled for `storagectl dashboard`: {e.Message}");
        }
        var journal = new RunJournal(inner, writer);
        journal.Write(new RunEvent(RunEvent.Begin, now)
        {
            Config = Path.GetFullPath(configFile), Environment = plan.Environment, Kind = plan.Kind, Who = plan.Who, Version = plan.Artifact?.Version,
            Pid = Environment.ProcessId, Machine = RunJournal.Machine,
            Targets = [.. plan.Targets.Select(t => new RunTarget(t.Name, t.FromVersion, t.ToVersion))],
        });
        return journal;
    }

    /// <summary>
    /// Where a run's pid means that run: this machine, boot and pid namespace where that can be read (as a lock's holder
    /// is told, <see cref="MachineIdentity"/>), so a pid reused after a reboot is not taken for a run still going.
    /// </summary>
    public static string Machine => MachineIdentity.Current ?? Environment.MachineName;

    /// <summary>The run's last line: how it ended.</summary>
    public void End(DeployOutcome outcome) =>
        Write(new RunEvent(RunEvent.Finish, DateTimeOffset.UtcNow) { Outcome = outcome.Succeeded ? DeployRecord.Succeeded : DeployRecord.Failed, Detail = outcome.FirstError });

    public void Started(string target, string step)
    {
        _inner.Started(target, step);
        Write(new RunEvent(nameof(Started), DateTimeOffset.UtcNow) { Target = target, Step = step });
    }

    public void Succeeded(string target, string step, TimeSpan took)
    {
        _inner.Succeeded(target, step, took);
        Write(new RunEvent(nameof(Succeeded), DateTimeOffset.UtcNow) { Target = target, Step = step, Seconds = Math.Round(took.TotalSeconds, 2) });
    }

    public void Failed(string target, string step, string reason)
    {
        _inner.Failed(target, step, reason);
        Write(new RunEvent(nameof(Failed), DateTimeOffset.UtcNow) { Target = target, Step = step, Detail = reason });
    }

    public void Info(string message)
    {
        _inner.Info(message);
        if (message.Length > 0) Write(new RunEvent(nameof(Info), DateTimeOffset.UtcNow) { Detail = message });
    }

    public void Waiting(string target, string step, string status)
    {
        _inner.Waiting(target, step, status);
        Write(new RunEvent(nameof(Waiting), DateTimeOffset.UtcNow) { Target = target, Step = step, Detail = status });
    }

    private void Write(RunEvent entry)
    {
        lock (_gate)
        {
            if (_writer is null) return;
            try
            {
                _writer.WriteLine(JsonSerializer.Serialize(entry, JsonOptions.Compact));
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"warning: the rest of this run is not journaled for `storagectl dashboard`: {e.Message}");
                _writer.Dispose();
                _writer = null;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private static void RemoveOld(DateTimeOffset now)
    {
        foreach (var file in Directory.EnumerateFiles(RunsFolder, "*.jsonl"))
            if (now - File.GetLastWriteTimeUtc(file) > KeptFor)
                try { File.Delete(file); }
                catch (IOException) { }
    }
}

/// <summary>One line of a run's journal. The first (<see cref="Begin"/>) says what runs; the last (<see cref="Finish"/>) how it ended.</summary>
public sealed record RunEvent(string Type, DateTimeOffset At)
{
    public const string Begin = "Begin";
    public const string Finish = "Finish";

    public string? Config { get; init; }
    public string? Environment { get; init; }
    public string? Kind { get; init; }
    public string? Who { get; init; }
    public string? Version { get; init; }
    public int? Pid { get; init; }
    public string? Machine { get; init; }
    public IReadOnlyList<RunTarget>? Targets { get; init; }
    public string? Target { get; init; }
    public string? Step { get; init; }
    public string? Detail { get; init; }
    public double? Seconds { get; init; }
    public string? Outcome { get; init; }
}

public sealed record RunTarget(string Name, string? From, string To);
