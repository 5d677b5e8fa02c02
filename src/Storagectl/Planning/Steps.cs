namespace Storagectl.Planning;

/// <summary>
/// One thing to do on one host. Steps are data: they print as the commands they run, tests read them without hosts,
/// and the executor runs them one by one. <see cref="Undo"/> is what puts the host back if a later step fails.
/// </summary>
public abstract record Step(string Title)
{
    public string? Undo { get; init; }

    /// <summary>What this step leaves in place when the deploy is undone, and why (said at undo time instead of running anything).</summary>
    public string? KeptOnUndo { get; init; }

    /// <summary>
    /// A check that may refuse the run (the tenant lock, the proxy's site): when it exits with <see cref="RefusedExitCode"/>
    /// before anything else of its target ran, the run was refused, not rolled back. Any other failure is a failure.
    /// </summary>
    public bool RefusesRun { get; init; }

    /// <summary>What the step prints is a note for the operator (nginx not running, say), shown once it is done.</summary>
    public bool ReportsOutput { get; init; }

    /// <summary>
    /// What the step prints is a result the verb needs afterwards (a key created on the host): kept in
    /// <see cref="Hosts.DeployOutcome.Outputs"/>, never logged.
    /// </summary>
    public bool CapturesOutput { get; init; }

    /// <summary>Another host this step runs on instead of its target's (a move acts on the source and the target); null: the target's.</summary>
    public Configuration.HostConfig? On { get; init; }

    /// <summary>
    /// Once this step succeeded there is no going back (a move's switch: the target takes writes the source never sees):
    /// a later failure is reported and recorded, and nothing is undone.
    /// </summary>
    public bool Commits { get; init; }

    /// <summary>EX_TEMPFAIL: the exit code of a script that refuses the run and changed nothing.</summary>
    public const int RefusedExitCode = 75;

    /// <summary>How the step reads in `storagectl plan` and in logs.</summary>
    public abstract string Describe();
}

/// <summary>A shell script run on the host; a non-zero exit fails the step. <paramref name="Input"/> goes to stdin (secrets travel here, never in argv).</summary>
public sealed record RunStep(string Title, string Script, string? Input = null) : Step(Title)
{
    public override string Describe() => Input is null ? Script : $"{Script}   # stdin: {InputSummary}";

    /// <summary>Printed in place of the input, which may hold secrets.</summary>
    public string InputSummary { get; init; } = "(content not shown)";
}

/// <summary>Streams a local file to the host and checks its sha256 there before moving it into place.</summary>
public sealed record UploadStep(string Title, string LocalFile, string RemoteFile, string Sha256) : Step(Title)
{
    public override string Describe() => $"upload {LocalFile} -> {RemoteFile} ({(Sha256.Length >= 12 ? $"sha256 {Sha256[..12]}…" : "sha256 known once built")})";
}

/// <summary>How a waiting step asks: each request's timeout, how many tries at most, and the pause between them (fractions of a second allowed).</summary>
public sealed record HealthPolling(int TimeoutSeconds, int Retries, double IntervalSeconds)
{
    public static HealthPolling Of(Configuration.HealthSettings health) => new(health.TimeoutSeconds, health.Retries, health.IntervalSeconds);

    /// <summary>The pause between tries as plans and shell scripts write it: 0.2, 1.</summary>
    public string Interval => Text(IntervalSeconds);

    public static string Text(double seconds) => seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Polls the health endpoint on the host until it answers 200 and reports the expected version, at most
/// <see cref="HealthPolling.Retries"/> times and never longer than <see cref="BudgetSeconds"/>: a request that hangs
/// (a frozen process) is cut at the budget's end, so a gate that fails takes its budget, not tries x timeout.
/// </summary>
public sealed record HealthGateStep(string Title, int Port, string Path, string ExpectedVersion, HealthPolling Polling) : Step(Title)
{
    /// <summary>How long the gate waits at most, as plans and waiting lines say it.</summary>
    public double BudgetSeconds => Polling.Retries * Polling.IntervalSeconds;

    public override string Describe() =>
        $"wait for {HostCommands.HealthCommands.Url(Port, Path)} to be ready with version {ExpectedVersion}: " +
        $"up to {Polling.Retries} tries {Polling.Interval}s apart (~{HealthPolling.Text(Math.Round(BudgetSeconds))}s), {Polling.TimeoutSeconds}s timeout each";
}

/// <summary>
/// Watches the tenant for a while: health through its public port, and the share of 5xx answers among all requests
/// the new version served meanwhile (its own /metrics on <paramref name="MetricsPort"/>). Fails when either is too high.
/// </summary>
public sealed record BakeStep(string Title, int Port, string Path, string ExpectedVersion, int Seconds, double MaxErrorRate, int MetricsPort, HealthPolling Polling)
    : Step(Title)
{
    public const string MetricsPath = "/metrics";

    public override string Describe() =>
        $"watch {HostCommands.HealthCommands.Url(Port, Path)} for {Seconds}s, every {Polling.Interval}s: version {ExpectedVersion}; failed checks and 5xx share of " +
        $"{HostCommands.HealthCommands.Url(MetricsPort, MetricsPath)} at most {MaxErrorRate:P0}";
}

/// <summary>
/// The isolation probe after a switch: with probe keys and objects it makes itself (and removes again, whatever
/// happens), proves that each of <paramref name="Subjects"/> refuses what is not its own, and that its instance serves
/// only its tenant (/health on its active slot). <paramref name="Others"/> are the environment's other instances: their
/// probe keys must be refused here, and the subject's key there. Fails like a health gate: the ring is put back.
/// </summary>
public sealed record IsolationProbeStep(string Title, string KeyName, IReadOnlyList<ProbeInstance> Subjects, IReadOnlyList<ProbeInstance> Others, int TimeoutSeconds)
    : Step(Title)
{
    public override string Describe() => IsolationProbePlan.Describe(this);
}
