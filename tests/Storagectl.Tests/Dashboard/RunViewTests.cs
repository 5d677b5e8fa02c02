using System.Diagnostics;
using System.Text.Json;
using Storagectl.Hosts;
using Storagectl.Planning;
using Storagectl.Runs;

namespace Storagectl.Tests.Dashboard;

/// <summary>
/// A run's journal as the dashboard reads it back: each target's step, what it finished and whether it failed, the
/// messages and the outcome; only runs of the dashboard's own configuration and environment; and a run whose process
/// is gone without a last line reads as gone.
/// </summary>
[Collection(StateDirCollection.Name)]
public sealed class RunViewTests : IDisposable
{
    private static readonly TimeSpan Recent = TimeSpan.FromMinutes(15);
    private readonly StateDir _state = new();
    private readonly TempFolder _configs = new("runcfg-");
    private string ConfigFile => _configs.Combine("storagectl.yml");

    [Fact]
    public void A_journaled_run_reads_back_step_by_step_while_it_runs_and_once_it_ended()
    {
        using var journal = RunJournal.Start(ConfigFile, new DeployPlan("production", DeployPlan.Rollback, null, "ana", []), new PlainReporter(TextWriter.Null));
        journal.Started("acme@host-a", "take the tenant lock");
        journal.Succeeded("acme@host-a", "take the tenant lock", TimeSpan.FromSeconds(0.4));
        journal.Started("acme@host-a", "switch to 1.0.0");
        journal.Waiting("acme@host-a", "switch to 1.0.0", "waiting for /health: 503");

        var running = RunView.Latest(ConfigFile, "production", Recent, DateTimeOffset.UtcNow).ShouldNotBeNull();
        running.Running.ShouldBeTrue();
        running.Begin.Kind.ShouldBe(DeployPlan.Rollback);
        running.Begin.Who.ShouldBe("ana");
        running.Begin.Pid.ShouldBe(Environment.ProcessId);
        running.Begin.Machine.ShouldBe(MachineIdentity.Current); // with the boot: a pid reused after a reboot is not this run
        var step = running.Targets.ShouldHaveSingleItem();
        (step.Target, step.Step, step.Done, step.Failed).ShouldBe(("acme@host-a", "waiting for /health: 503", 1, false));

        journal.Failed("acme@host-a", "switch to 1.0.0", "/health never answered 200");
        journal.Info("");  // an empty line on the terminal is not a message
        journal.Info("put back as it was: 1.1.0");
        journal.End(new DeployOutcome(false, [new TargetOutcome("acme@host-a", DeployRecord.Failed, "/health never answered 200")]));

        var ended = RunView.Latest(ConfigFile, "production", Recent, DateTimeOffset.UtcNow).ShouldNotBeNull();
        ended.Running.ShouldBeFalse();
        ended.Outcome.ShouldBe(DeployRecord.Failed);
        ended.Error.ShouldBe("/health never answered 200");
        var target = ended.Targets.ShouldHaveSingleItem();
        (target.Target, target.Step, target.Done, target.Failed).ShouldBe(("acme@host-a", "switch to 1.0.0", 1, true));
        ended.Messages.Select(m => (m.Type, m.Detail)).ShouldBe([("Failed", "/health never answered 200"), ("Info", "put back as it was: 1.1.0")]);
    }

    [Fact]
    public void Runs_of_another_configuration_or_environment_are_not_shown()
    {
        var other = _configs.Combine("other.yml");
        End(RunJournal.Start(other, new DeployPlan("production", DeployPlan.Rollback, null, "ana", []), new PlainReporter(TextWriter.Null)));
        End(RunJournal.Start(ConfigFile, new DeployPlan("staging", DeployPlan.Rollback, null, "ana", []), new PlainReporter(TextWriter.Null)));

        RunView.Latest(ConfigFile, "production", Recent, DateTimeOffset.UtcNow).ShouldBeNull();
        RunView.Latest(other, "production", Recent, DateTimeOffset.UtcNow).ShouldNotBeNull().Begin.Config.ShouldBe(Path.GetFullPath(other));
        RunView.Latest(ConfigFile, "staging", Recent, DateTimeOffset.UtcNow).ShouldNotBeNull().Begin.Environment.ShouldBe("staging");
    }

    [Fact]
    public void A_run_whose_process_is_gone_without_a_last_line_reads_as_gone()
    {
        var pid = DeadPid();
        var now = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(_state.RunsFolder);
        // The lines a run killed halfway leaves: its beginning and a step started, no Finish.
        WriteJournal($"{now:yyyyMMdd'T'HHmmss'Z'}-{pid}-abcdef.jsonl",
            new RunEvent(RunEvent.Begin, now.AddSeconds(-20))
            {
                Config = Path.GetFullPath(ConfigFile), Environment = "production", Kind = DeployPlan.Deploy, Who = "ana", Version = "1.2.0",
                Pid = pid, Machine = RunJournal.Machine, Targets = [new RunTarget("acme@host-a", "1.1.0", "1.2.0")],
            },
            new RunEvent("Started", now.AddSeconds(-10)) { Target = "acme@host-a", Step = "upload the artifact" });

        var run = RunView.Latest(ConfigFile, "production", Recent, now).ShouldNotBeNull();

        run.Outcome.ShouldBe(RunView.Gone);
        run.Running.ShouldBeFalse();
        run.Begin.Version.ShouldBe("1.2.0");
        run.Targets.ShouldHaveSingleItem().Step.ShouldBe("upload the artifact");
    }

    [Fact]
    public void A_run_begun_before_a_reboot_is_gone_even_when_its_pid_now_belongs_to_a_live_process()
    {
        // This machine, another boot: the pid (this test process) is alive, but it is not that run.
        var identity = MachineIdentity.Current.ShouldNotBeNull("the machine's identity is read on Linux").Split('/');
        identity[1] = Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(_state.RunsFolder);
        WriteJournal($"{now:yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}-abcdef.jsonl",
            new RunEvent(RunEvent.Begin, now.AddSeconds(-20))
            {
                Config = Path.GetFullPath(ConfigFile), Environment = "production", Kind = DeployPlan.Deploy, Who = "ana",
                Pid = Environment.ProcessId, Machine = string.Join('/', identity), Targets = [],
            });

        RunView.Latest(ConfigFile, "production", Recent, now).ShouldNotBeNull().Outcome.ShouldBe(RunView.Gone);
    }

    [Fact]
    public void A_run_that_ended_longer_ago_than_recent_is_not_shown()
    {
        var now = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(_state.RunsFolder);
        WriteJournal($"{now.AddHours(-1):yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}-abcdef.jsonl",
            new RunEvent(RunEvent.Begin, now.AddHours(-1))
            {
                Config = Path.GetFullPath(ConfigFile), Environment = "production", Kind = DeployPlan.Deploy, Who = "ana",
                Pid = Environment.ProcessId, Machine = RunJournal.Machine, Targets = [],
            },
            new RunEvent(RunEvent.Finish, now.AddMinutes(-50)) { Outcome = DeployRecord.Succeeded });

        RunView.Latest(ConfigFile, "production", Recent, now).ShouldBeNull();
        RunView.Latest(ConfigFile, "production", TimeSpan.FromHours(2), now).ShouldNotBeNull().Outcome.ShouldBe(DeployRecord.Succeeded);
    }

    private static void End(RunJournal journal)
    {
        journal.End(new DeployOutcome(true, []));
        journal.Dispose();
    }

    /// <summary>The journal's own shape: one web-style JSON object per line.</summary>
    private void WriteJournal(string name, params RunEvent[] events) =>
        File.WriteAllLines(Path.Combine(_state.RunsFolder, name), events.Select(e => JsonSerializer.Serialize(e, new JsonSerializerOptions(JsonSerializerDefaults.Web))));

    /// <summary>The pid of a process that ran and ended (pids are reused only after the kernel cycles through them all).</summary>
    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    public void Dispose()
    {
        _state.Dispose();
        _configs.Dispose();
    }
}
