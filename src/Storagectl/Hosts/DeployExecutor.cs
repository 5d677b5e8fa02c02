using Storagectl.HostCommands;
using Storagectl.Planning;
using Storagectl.Processes;

namespace Storagectl.Hosts;

public sealed record TargetOutcome(string Target, string Outcome, string? Error);

/// <param name="Committed">A step that commits (a move's switch) had succeeded: what failed afterwards was reported, nothing undone.</param>
public sealed record DeployOutcome(bool Succeeded, IReadOnlyList<TargetOutcome> Targets, bool Committed = false)
{
    public string? FirstError => Targets.FirstOrDefault(t => t.Error is not null)?.Error;

    /// <summary>What each step with <see cref="Step.CapturesOutput"/> printed, by the step itself (not an equal one).</summary>
    public IReadOnlyDictionary<Step, string> Outputs { get; init; } = new Dictionary<Step, string>();
}

/// <summary>
/// Runs a plan, ring by ring: every target of a ring is prepared and verified, then all are switched, then watched;
/// within a phase the targets run side by side, each through its own steps in order.
/// When any step fails, the ring is put back: the failed step's undo and then every finished step's undo, newest
/// first, across all targets of the ring. Later rings are not touched. The executor decides nothing else: the plan says
/// what to run (and how long to wait), and this class only runs it, in order. A blocked plan is never handed to it.
/// A step may run on another host than its target's (<see cref="Step.On"/>, reached through <paramref name="connectionForHost"/>),
/// and a step that <see cref="Step.Commits"/> ends the ring's way back: failures after it are reported, never undone.
/// </summary>
public sealed class DeployExecutor(Func<TargetPlan, HostConnection> connectionFor, IDeployReporter reporter, TimeProvider clock,
    Func<Configuration.HostConfig, HostConnection>? connectionForHost = null)
{
    private readonly Dictionary<Step, string> _outputs = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Isolation probes run one at a time: each makes a probe key on every instance of the environment (a service
    /// process each), so the probes of a ring of n targets side by side would start n x n processes at once.
    /// </summary>
    private readonly SemaphoreSlim _probing = new(1, 1);

    private sealed class StepFailedException(TargetPlan target, Step step, string reason, int exitCode) : Exception(reason)
    {
        public int ExitCode { get; } = exitCode;
        public TargetPlan Target { get; } = target;
        public Step Step { get; } = step;
    }

    private static readonly Func<TargetPlan, IReadOnlyList<Step>> Switch = t => t.Switch;

    public async Task<DeployOutcome> RunAsync(DeployPlan plan, CancellationToken cancellationToken = default)
    {
        var runStarted = clock.GetUtcNow();
        var outcomes = new List<TargetOutcome>();
        foreach (var ring in plan.Rings)
        {
            reporter.Info($"ring {ring.Number}: {string.Join(", ", ring.Targets.Select(t => t.Name))}");
            var started = clock.GetUtcNow();
            var done = new List<(TargetPlan Target, Step Step)>();
            var failures = new List<StepFailedException>();
            foreach (var phase in new Func<TargetPlan, IReadOnlyList<Step>>[] { t => t.Prepare, Switch, t => t.Finish })
            {
                // The targets of a ring go through each phase side by side; a failure stops the others at their next step.
                await Task.WhenAll(ring.Targets.Select(target => RunPhaseAsync(target, phase(target), done, failures, cancellationToken)));
                if (failures.Count > 0) break;
                // How long until the new versions serve all traffic, apart from the watching (probe, bake) that follows.
                if (phase == Switch && plan.ChangesVersions)
                    reporter.Info($"ring {ring.Number}: switched; every target serves its new version {(clock.GetUtcNow() - runStarted).TotalSeconds:0.00} s after the run started");
            }
            if (failures.Count > 0 && done.Any(d => d.Step.Commits))
            {
                var late = failures[0];
                var problem = $"{late.Target.Name}: {late.Step.Title}: {late.Message}";
                reporter.Info($"ring {ring.Number}: {late.Step.Title} failed after the point of no return; nothing is undone: {problem}");
                foreach (var target in ring.Targets)
                {
                    await FinishAsync(plan, target, started, DeployRecord.Succeeded, $"finished with a failure after the switch: {problem}");
                    outcomes.Add(new TargetOutcome(target.Name, DeployRecord.Succeeded, problem));
                }
                return new DeployOutcome(false, outcomes, Committed: true);
            }
            if (failures.Count > 0)
            {
                var first = failures[0];
                reporter.Info($"ring {ring.Number} failed at {first.Target.Name}: {first.Step.Title}; rolling back");
                // Failed steps may have half run; then every finished step, newest first (each target's own order is kept).
                await UndoAsync([.. failures.Select(f => (f.Target, f.Step)), .. Enumerable.Reverse(done)]);
                var error = $"{first.Target.Name}: {first.Step.Title}: {first.Message}";
                foreach (var target in ring.Targets)
                {
                    // A target refused at its lock changed nothing; the others of the ring were put back.
                    var refusal = failures.FirstOrDefault(f => f.Target == target && f.Step.RefusesRun && f.ExitCode == Step.RefusedExitCode && !done.Any(d => d.Target == target && !d.Step.RefusesRun));
                    var (outcome, why) = refusal is null ? (DeployRecord.RolledBack, error) : (DeployRecord.Refused, $"{target.Name}: {refusal.Message}");
                    await FinishAsync(plan, target, started, outcome, why);
                    outcomes.Add(new TargetOutcome(target.Name, outcome, why));
                }
                reporter.Info(plan.Rings.Count > ring.Number ? $"later rings were not touched: {string.Join(", ", plan.Rings.Skip(ring.Number).SelectMany(r => r.Targets).Select(t => t.Name))}" : "");
                return new DeployOutcome(false, outcomes) { Outputs = Captured() };
            }
            foreach (var target in ring.Targets)
            {
                await FinishAsync(plan, target, started, DeployRecord.Succeeded, null);
                outcomes.Add(new TargetOutcome(target.Name, DeployRecord.Succeeded, null));
            }
        }
        return new DeployOutcome(true, outcomes) { Outputs = Captured() };
    }

    private async Task RunPhaseAsync(TargetPlan target, IReadOnlyList<Step> steps, List<(TargetPlan, Step)> done, List<StepFailedException> failures, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            lock (failures) if (failures.Count > 0) return;
            try
            {
                await RunStepAsync(target, step, cancellationToken);
                lock (done) done.Add((target, step));
            }
            catch (StepFailedException failure)
            {
                lock (failures) failures.Add(failure);
                return;
            }
        }
    }

    private async Task RunStepAsync(TargetPlan target, Step step, CancellationToken cancellationToken)
    {
        reporter.Started(target.Name, step.Title);
        var (result, took) = await Timing.MeasureAsync(async () =>
        {
            try
            {
                return await ExecuteAsync(target, ConnectionOf(target, step), step, cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                return new CommandResult(255, "", e.Message);
            }
        });
        if (!result.Succeeded)
        {
            reporter.Failed(target.Name, step.Title, result.Reason);
            throw new StepFailedException(target, step, result.Reason, result.ExitCode);
        }
        reporter.Succeeded(target.Name, step.Title, took);
        if (step.CapturesOutput) lock (_outputs) _outputs[step] = result.Output;
        if (step.ReportsOutput && result.Output.Trim().Length > 0) reporter.Info($"{target.Name}: {result.Output.Trim()}");
    }

    private Dictionary<Step, string> Captured()
    {
        lock (_outputs) return new Dictionary<Step, string>(_outputs, ReferenceEqualityComparer.Instance);
    }

    /// <summary>Undo scripts are written to be safe when their step only half ran; a failing undo is reported and the rest still run.</summary>
    private async Task UndoAsync(IEnumerable<(TargetPlan Target, Step Step)> steps)
    {
        foreach (var (target, step) in steps)
        {
            if (step.KeptOnUndo is not null) reporter.Info($"{target.Name}: kept after \"{step.Title}\": {step.KeptOnUndo}");
            if (step.Undo is null) continue;
            var title = "undo: " + step.Title;
            reporter.Started(target.Name, title);
            var (result, took) = await Timing.MeasureAsync(() => RunWithRetryAsync(ConnectionOf(target, step), step.Undo));
            if (result.Succeeded) reporter.Succeeded(target.Name, title, took);
            else reporter.Failed(target.Name, title, result.Reason);
        }
    }

    /// <summary>Undo matters most when the network just failed, so it gets a few chances to reconnect.</summary>
    private static async Task<CommandResult> RunWithRetryAsync(HostConnection connection, string script, string? input = null)
    {
        var result = new CommandResult(255, "", "not run");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            result = await connection.RunAsync(script, input);
            if (result.ExitCode != 255) return result; // 255 is ssh's own failure; anything else came from the script
            await Task.Delay(TimeSpan.FromSeconds(1 + attempt));
        }
        return result;
    }

    private HostConnection ConnectionOf(TargetPlan target, Step step) => step.On is { } host ? ConnectionTo(target, host) : connectionFor(target);

    private HostConnection ConnectionTo(TargetPlan target, Configuration.HostConfig host) =>
        host.Name == target.Host.Name ? connectionFor(target)
        : connectionForHost?.Invoke(host) ?? throw new InvalidOperationException($"{target.Name}: a step runs on {host.Name}, but this executor reaches no other host");

    /// <summary>Records the deploy in deploys.jsonl and releases the lock (only if it is still ours), on the target's host and on each of its <see cref="TargetPlan.Peers"/>.</summary>
    private async Task FinishAsync(DeployPlan plan, TargetPlan target, DateTimeOffset started, string outcome, string? error)
    {
        var finished = clock.GetUtcNow();
        foreach (var (host, paths, releaseLock) in target.Peers.Prepend(new TargetPeer(target.Host, target.Paths, target.ReleaseLock)))
        {
            var connection = ConnectionTo(target, host);
            var record = new DeployRecord(started, finished, plan.Environment, target.Tenant.Name, host.Name,
                target.ToVersion, target.Commit, target.FromVersion, plan.Who, outcome, error, plan.Kind) { Sha256 = target.Sha256, SkipStaging = plan.SkipStaging };
            // A removal moves the tenant folder aside: a run that succeeded is recorded where the folder went.
            var recordIn = host.Name == target.Host.Name && outcome == DeployRecord.Succeeded ? target.RecordIn ?? paths : paths;
            var recorded = await RunWithRetryAsync(connection, HistoryCommands.Append(recordIn), record.ToJson() + "\n");
            if (!recorded.Succeeded) reporter.Failed(target.Name, $"record the {plan.Kind} on {host.Name}", recorded.Reason);
            var released = await RunWithRetryAsync(connection, releaseLock);
            if (!released.Succeeded) reporter.Failed(target.Name, $"release the lock on {host.Name}", released.Reason);
        }
    }

    private async Task<CommandResult> ExecuteAsync(TargetPlan target, HostConnection connection, Step step, CancellationToken cancellationToken) => step switch
    {
        RunStep run => await connection.RunAsync(run.Script, run.Input, cancellationToken),
        UploadStep upload => await UploadAsync(connection, upload, cancellationToken),
        HealthGateStep gate => await WaitHealthyAsync(target, connection, gate, cancellationToken),
        BakeStep bake => await BakeAsync(target, connection, bake, cancellationToken),
        PipeStep pipe => await MoveStepRunner.PipeAsync(ConnectionTo(target, pipe.From), connection, pipe, cancellationToken),
        WriteDrainStep drain => await MoveStepRunner.DrainAsync(connection, drain, clock, cancellationToken),
        VerifyMatchStep verify => await MoveStepRunner.VerifyMatchAsync(ConnectionTo(target, verify.Source), connection, verify, cancellationToken),
        IsolationProbeStep probe => await ProbeAsync(target, probe, cancellationToken),
        TogetherStep together => await RunTogetherAsync(target, together, cancellationToken),
        _ => throw new InvalidOperationException($"no executor for {step.GetType().Name}"),
    };

    /// <summary>Each lane on its own task, its steps in order; the first failure (in lane order) is the result, else how long each lane took.</summary>
    private async Task<CommandResult> RunTogetherAsync(TargetPlan target, TogetherStep together, CancellationToken cancellationToken)
    {
        var lanes = await Task.WhenAll(together.Lanes.Select(async lane =>
        {
            var started = clock.GetTimestamp();
            foreach (var step in lane)
            {
                var result = await ExecuteAsync(target, ConnectionOf(target, step), step, cancellationToken);
                if (!result.Succeeded) return (Result: result with { Errors = $"{step.Title}: {result.Reason}" }, Took: clock.GetElapsedTime(started));
            }
            return (Result: new CommandResult(0, "", ""), Took: clock.GetElapsedTime(started));
        }));
        if (lanes.FirstOrDefault(l => !l.Result.Succeeded).Result is { } failed) return failed;
        return new CommandResult(0, string.Join("; ", together.Lanes.Select((lane, i) =>
            $"{string.Join(", then ", lane.Select(s => s.Title))}: {lanes[i].Took.TotalSeconds:0.00} s")), "");
    }

    /// <summary>Streams the artifact into a .part file, checks its sha256 on the host, then moves it into place.</summary>
    private static async Task<CommandResult> UploadAsync(HostConnection connection, UploadStep upload, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(upload.LocalFile);
        var sent = await connection.RunAsync(ArtifactCommands.Receive(upload.RemoteFile), file, cancellationToken);
        if (!sent.Succeeded) return sent with { Errors = "upload interrupted: " + sent.Reason };
        return await connection.RunAsync(ArtifactCommands.VerifyAndPlace(upload.RemoteFile, upload.Sha256), (string?)null, cancellationToken);
    }

    /// <summary>
    /// Asks every <see cref="HealthPolling.IntervalSeconds"/> until the answer is right, the tries are used up or the
    /// budget has passed. Each request's timeout is cut to what is left of the budget: a slot that hangs (frozen) fails
    /// the gate when the budget ends, not after tries x timeout.
    /// </summary>
    private async Task<CommandResult> WaitHealthyAsync(TargetPlan target, HostConnection connection, HealthGateStep gate, CancellationToken cancellationToken)
    {
        var polling = gate.Polling;
        var last = "no answer";
        var started = clock.GetTimestamp();
        var attempt = 0;
        while (attempt < polling.Retries)
        {
            attempt++;
            var left = gate.BudgetSeconds - clock.GetElapsedTime(started).TotalSeconds;
            var timeout = Math.Clamp(left, 0.1, polling.TimeoutSeconds);
            var (status, body) = await HealthProbe.GetAsync(connection, gate.Port, gate.Path, timeout, cancellationToken);
            var version = HealthProbe.VersionOf(body);
            if (status == 200 && version == gate.ExpectedVersion) return new CommandResult(0, body, "");
            last = HealthProbe.Describe(status, body);
            var elapsed = clock.GetElapsedTime(started);
            reporter.Waiting(target.Name, gate.Title,
                $"waiting for {HealthCommands.Url(gate.Port, gate.Path)} to be ready with version {gate.ExpectedVersion}: " +
                $"{Seconds(elapsed)} of ~{Seconds(TimeSpan.FromSeconds(gate.BudgetSeconds))} (try {attempt} of {polling.Retries}); last: {last}");
            var pause = Math.Min(polling.IntervalSeconds, gate.BudgetSeconds - elapsed.TotalSeconds);
            if (pause <= 0) break;
            await Task.Delay(TimeSpan.FromSeconds(pause), clock, cancellationToken);
        }
        return new CommandResult(1, "", $"not ready with version {gate.ExpectedVersion} after {attempt} tries in {clock.GetElapsedTime(started).TotalSeconds:0.0}s: {last}");
    }

    private async Task<CommandResult> BakeAsync(TargetPlan target, HostConnection connection, BakeStep bake, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var until = started.AddSeconds(bake.Seconds);
        var before = await CountsAsync(connection, bake, cancellationToken);
        var (total, failed) = (0, 0);
        var last = "";
        do
        {
            var (status, body) = await HealthProbe.GetAsync(connection, bake.Port, bake.Path, bake.Polling.TimeoutSeconds, cancellationToken);
            total++;
            if (status != 200 || HealthProbe.VersionOf(body) != bake.ExpectedVersion)
            {
                failed++;
                last = HealthProbe.Describe(status, body);
            }
            reporter.Waiting(target.Name, bake.Title,
                $"baking: watching {HealthCommands.Url(bake.Port, bake.Path)} for version {bake.ExpectedVersion}: {Seconds(clock.GetUtcNow() - started)} of {bake.Seconds}s, " +
                $"{total} checks, {failed} failed" + (failed > 0 ? $" (last: {last})" : ""));
            await Task.Delay(TimeSpan.FromSeconds(bake.Polling.IntervalSeconds), clock, cancellationToken);
        } while (clock.GetUtcNow() < until);
        var rate = (double)failed / total;
        if (rate > bake.MaxErrorRate)
            return new CommandResult(1, "", $"{failed} of {total} checks through the proxy failed ({rate * 100:0.#}%); last: {last}");

        var served = before is null ? null : (await CountsAsync(connection, bake, cancellationToken))?.Since(before);
        if (served is null) return new CommandResult(0, $"{total - failed}/{total} healthy; no request counts at {BakeStep.MetricsPath}", "");
        var errorRate = served.Requests <= 0 ? 0 : served.Errors / served.Requests;
        return errorRate <= bake.MaxErrorRate
            ? new CommandResult(0, $"{total - failed}/{total} healthy; {served.Errors:0} of {served.Requests:0} requests answered 5xx", "")
            : new CommandResult(1, "", $"{served.Errors:0} of {served.Requests:0} requests answered 5xx ({errorRate * 100:0.#}%) while baking");
    }

    /// <summary>A failed probe shows its whole table (every check, what it got) before the ring is put back; a passed one its summary.</summary>
    private async Task<CommandResult> ProbeAsync(TargetPlan target, IsolationProbeStep probe, CancellationToken cancellationToken)
    {
        await _probing.WaitAsync(cancellationToken);
        ProbeReport report;
        try
        {
            reporter.Waiting(target.Name, probe.Title, $"probing isolation: {probe.Subjects.Count + probe.Others.Count} instances, probe keys named {probe.KeyName}");
            report = await new IsolationProbe(host => ConnectionTo(target, host)).RunAsync(probe, cancellationToken);
        }
        finally
        {
            _probing.Release();
        }
        var notes = report.Notes.Count == 0 ? "" : "\n" + string.Join('\n', report.Notes);
        if (report.Passed) return new CommandResult(0, report.Summary + notes, "");
        foreach (var line in report.Lines().SkipLast(1)) reporter.Info($"{target.Name}: {line}");
        return new CommandResult(1, "", report.Summary);
    }

    private static string Seconds(TimeSpan elapsed) => $"{Math.Max(0, elapsed.TotalSeconds):0}s";

    /// <summary>The new version's own request counts, read on the host from its slot port (direct, so /metrics answers).</summary>
    private static Task<RequestCounts?> CountsAsync(HostConnection connection, BakeStep bake, CancellationToken cancellationToken) =>
        RequestCounts.ReadAsync(connection, bake.MetricsPort, bake.Polling.TimeoutSeconds, cancellationToken);
}
