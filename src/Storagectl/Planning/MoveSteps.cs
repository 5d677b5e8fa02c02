using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>
/// Streams bytes from one host to another through storagectl (hosts never need to reach each other): <paramref name="Send"/>
/// runs on <paramref name="From"/> and writes to stdout, <paramref name="Receive"/> runs on the target (or <see cref="Step.On"/>)
/// and reads them on stdin. Only when both succeeded does <paramref name="Place"/> run there, with the sha256 of the bytes
/// storagectl passed on stdin: a copy cut short, or a sender that failed after writing part of its output, is never put in place.
/// Without <paramref name="Place"/> the received bytes are only kept where <paramref name="Receive"/> wrote them (a list, say).
/// </summary>
public sealed record PipeStep(string Title, HostConfig From, string Send, string Receive, string? Place) : Step(Title)
{
    public override string Describe() => $"on {From.Name}:\n{Send}\n| to the target:\n{Receive}" +
        (Place is null ? "" : $"\nthen, once both succeeded (stdin: the sha256 of the bytes):\n{Place}");
}

/// <summary>
/// Polls each port's /health on the host (a local caller gets the full report) until its <c>writeHold</c> says held with
/// no write in flight: from then on the instance accepts no write. Fails after <paramref name="TimeoutSeconds"/>.
/// </summary>
public sealed record WriteDrainStep(string Title, IReadOnlyList<int> Ports, string Path, int TimeoutSeconds, int IntervalMilliseconds) : Step(Title)
{
    public override string Describe() =>
        $"poll {string.Join(", ", Ports.Select(p => HostCommands.HealthCommands.Url(p, Path)))} every {IntervalMilliseconds} ms until writeHold.held is true " +
        $"and writeHold.inFlightWrites is 0 (at most {TimeoutSeconds}s)";
}

/// <summary>
/// Runs <paramref name="SourceScript"/> on <paramref name="Source"/> and <paramref name="TargetScript"/> on the target at once,
/// each with <paramref name="Input"/> on stdin (the admin key header; never shown); each prints one JSON line (`storage-api
/// verify`, or its endpoint `GET /v1/admin/verify`). Both must succeed, report nothing missing or corrupt, and agree on
/// <see cref="ComparedFields"/>.
/// </summary>
public sealed record VerifyMatchStep(string Title, HostConfig Source, string SourceScript, string TargetScript, string? Input = null) : Step(Title)
{
    public static readonly IReadOnlyList<string> ComparedFields = ["objects", "blobs", "bytes", "digest"];

    /// <summary>Printed in place of the input, which holds a secret.</summary>
    public string InputSummary { get; init; } = "(content not shown)";

    public override string Describe() =>
        $"on {Source.Name}: {SourceScript}\non the target: {TargetScript}\n" + (Input is null ? "" : $"(stdin of both: {InputSummary})\n") +
        $"both: missing 0, corrupt 0; equal {string.Join(", ", ComparedFields)}";
}

/// <summary>
/// Independent lanes run at once, the steps of each lane one after another (a move copies the database while it learns
/// and copies the blob files: different files, different commands). It fails with the first lane that failed, after
/// every lane ended. Its steps have no undo of their own: what they change is the target's copy, undone with the target.
/// </summary>
public sealed record TogetherStep(string Title, IReadOnlyList<IReadOnlyList<Step>> Lanes) : Step(Title)
{
    public override string Describe() => string.Join("\n", Lanes.Select((lane, i) =>
        $"-- at once, lane {i + 1}:\n" + string.Join("\n", lane.Select(step => $"# {step.Title}\n{step.Describe()}"))));
}
