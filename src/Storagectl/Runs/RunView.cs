using System.Text.Json;
using Storagectl.Planning;

namespace Storagectl.Runs;

/// <summary>One target's progress in a run: the step it is on (or ended on), how many it finished, and whether one failed.</summary>
public sealed record RunTargetView(string Target, string Step, int Done, bool Failed, DateTimeOffset Since);

/// <summary>
/// A run as its journal tells it (<see cref="RunJournal"/>): what it does, each target's progress, its messages, and how
/// it ended: <see cref="Outcome"/> is null while it runs, and "gone" when its process ended without a last line.
/// </summary>
public sealed record RunView(RunEvent Begin, IReadOnlyList<RunTargetView> Targets, IReadOnlyList<RunEvent> Messages, string? Outcome, string? Error, DateTimeOffset LastAt)
{
    public const string Gone = "gone";

    public bool Running => Outcome is null;

    /// <summary>
    /// The newest run of <paramref name="configFile"/> in <paramref name="environment"/> that is still running or ended
    /// less than <paramref name="recent"/> ago; null when there is none.
    /// </summary>
    public static RunView? Latest(string configFile, string environment, TimeSpan recent, DateTimeOffset now)
    {
        var folder = RunJournal.RunsFolder;
        if (!Directory.Exists(folder)) return null;
        var config = Path.GetFullPath(configFile);
        // Names start with the UTC start time: the newest come first when sorted backwards.
        foreach (var file in Directory.EnumerateFiles(folder, "*.jsonl").OrderByDescending(Path.GetFileName, StringComparer.Ordinal).Take(50))
        {
            if (now - File.GetLastWriteTimeUtc(file) > recent && !IsAlive(file)) continue;
            var run = Read(file);
            if (run is null || run.Begin.Config != config || run.Begin.Environment != environment) continue;
            if (run.Running || now - run.LastAt <= recent) return run;
        }
        return null;
    }

    /// <summary>Reads one journal; null when its first line is not a run's beginning.</summary>
    public static RunView? Read(string file)
    {
        string[] lines;
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            lines = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException) { return null; }
        var events = lines.Select(Parse).OfType<RunEvent>().ToList();
        if (events.FirstOrDefault() is not { Type: RunEvent.Begin } begin) return null;
        var targets = new Dictionary<string, RunTargetView>(StringComparer.Ordinal);
        foreach (var target in begin.Targets ?? []) targets[target.Name] = new RunTargetView(target.Name, "waiting for its turn", 0, false, begin.At);
        var messages = new List<RunEvent>();
        RunEvent? end = null;
        foreach (var entry in events.Skip(1))
        {
            if (entry.Type == RunEvent.Finish) { end = entry; continue; }
            if (entry.Type is nameof(RunJournal.Info) or nameof(RunJournal.Failed)) messages.Add(entry);
            if (entry.Target is not { } name || entry.Step is not { } step) continue;
            var known = targets.GetValueOrDefault(name) ?? new RunTargetView(name, step, 0, false, entry.At);
            targets[name] = entry.Type switch
            {
                nameof(RunJournal.Started) => known with { Step = step, Since = entry.At },
                nameof(RunJournal.Succeeded) => known with { Step = step, Done = known.Done + 1 },
                nameof(RunJournal.Failed) => known with { Step = step, Failed = true },
                _ => known with { Step = entry.Detail ?? step },
            };
        }
        var outcome = end?.Outcome ?? (IsAlive(begin) ? null : Gone);
        return new RunView(begin, [.. targets.Values], messages, outcome, end?.Detail, events[^1].At);
    }

    private static RunEvent? Parse(string line)
    {
        try { return JsonSerializer.Deserialize<RunEvent>(line, JsonOptions.Compact); }
        catch (JsonException) { return null; } // a line being written as it is read
    }

    /// <summary>A run without its last line is still going while its process lives (on this machine, where journals are).</summary>
    private static bool IsAlive(RunEvent begin) =>
        begin.Machine == RunJournal.Machine && begin.Pid is { } pid && ProcessExists(pid);

    private static bool IsAlive(string file) =>
        Path.GetFileName(file).Split('-') is [_, var pid, ..] && int.TryParse(pid, out var id) && ProcessExists(id);

    private static bool ProcessExists(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try { using var process = System.Diagnostics.Process.GetProcessById(pid); return !process.HasExited; }
        catch (ArgumentException) { return false; }
    }
}
