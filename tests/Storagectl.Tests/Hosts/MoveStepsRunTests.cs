using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Hosts;

/// <summary>
/// The executor's parts a move adds, run for real on this machine: steps on another host, bytes piped from one host to
/// another and put in place only when both ends succeeded, a step after which nothing is undone, and history on both hosts.
/// </summary>
public sealed class MoveStepsRunTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("move-steps-");
    private readonly HostConfig _source;
    private readonly HostConfig _target;

    public MoveStepsRunTests()
    {
        _source = Config.Hosts["web-1"] with { Name = "source", Root = Path.Combine(_root.FullName, "source"), Transport = HostTransport.Local };
        _target = Config.Hosts["web-1"] with { Name = "target", Root = Path.Combine(_root.FullName, "target"), Transport = HostTransport.Local };
    }

    private string In(string name) => Path.Combine(_root.FullName, name);

    private async Task<(DeployOutcome Outcome, string Log)> RunAsync(IReadOnlyList<Step> prepare, IReadOnlyList<Step>? switching = null, IReadOnlyList<Step>? finish = null)
    {
        var tenant = Config.Environment("production").Tenants["acme"];
        var paths = new TenantPaths(_target.Root, "acme");
        var plan = new TargetPlan(tenant, _target, paths, null, "1.0.0", null, [], prepare, switching ?? [], finish ?? [], null, "true")
            { Peers = [new TargetPeer(_source, new TenantPaths(_source.Root, "acme"), "true")] };
        var log = new StringWriter();
        var connections = new Dictionary<string, HostConnection> { ["source"] = new LocalConnection("source"), ["target"] = new LocalConnection("target") };
        var executor = new DeployExecutor(t => connections[t.Host.Name], new PlainReporter(log), TimeProvider.System, h => connections[h.Name]);
        var outcome = await executor.RunAsync(new DeployPlan("production", DeployPlan.Move, null, "ana", [new RingPlan(1, [plan])]));
        return (outcome, log.ToString());
    }

    private PipeStep Pipe(string send) => new("copy", _source, send, $"cat > {In("copy.part")}",
        $"read -r sha; echo \"$sha  {In("copy.part")}\" | sha256sum -c --quiet - && mv {In("copy.part")} {In("copy")}");

    [Fact]
    public async Task A_pipe_copies_the_senders_bytes_and_places_them_once_their_sha256_matches()
    {
        var (outcome, log) = await RunAsync([Pipe("head -c 3000000 /dev/urandom > " + In("sent") + " && cat " + In("sent"))]);

        outcome.Succeeded.ShouldBeTrue(log);
        File.ReadAllBytes(In("copy")).ShouldBe(File.ReadAllBytes(In("sent")));
    }

    [Fact]
    public async Task A_sender_that_fails_after_writing_part_of_its_output_never_gets_its_bytes_placed()
    {
        var (outcome, log) = await RunAsync([Pipe("printf 'half a database'; echo 'disk on fire' >&2; exit 3")]);

        outcome.Succeeded.ShouldBeFalse();
        log.ShouldContain("ERR copy: sending from source failed: disk on fire");
        File.Exists(In("copy")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_receiver_that_fails_stops_the_sender_and_nothing_is_placed()
    {
        var step = Pipe("yes database | head -c 50000000") with { Receive = "head -c 10 > /dev/null; echo 'no space left' >&2; exit 1" };

        var (outcome, log) = await RunAsync([step]);

        outcome.Succeeded.ShouldBeFalse();
        log.ShouldContain("receiving on target failed: no space left");
        File.Exists(In("copy")).ShouldBeFalse();
    }

    [Fact]
    public async Task Steps_run_on_the_host_they_name_and_both_hosts_record_the_run()
    {
        var (outcome, log) = await RunAsync([new RunStep("on the source", $"echo $PPID > {In("ran-on-source")}") { On = _source }]);

        outcome.Succeeded.ShouldBeTrue(log);
        File.Exists(In("ran-on-source")).ShouldBeTrue();
        foreach (var host in new[] { "source", "target" })
        {
            var record = DeployRecord.FromJson(File.ReadAllLines(Path.Combine(_root.FullName, host, "acme", "deploys.jsonl")).ShouldHaveSingleItem())!;
            (record.Kind, record.Host, record.Outcome).ShouldBe((DeployPlan.Move, host, DeployRecord.Succeeded));
        }
    }

    [Fact]
    public async Task A_failure_before_the_step_that_commits_undoes_everything_and_one_after_it_undoes_nothing()
    {
        Step Marked(string name) => new RunStep(name, "true") { Undo = $"touch {In("undone-" + name)}", On = _source };
        var failing = new RunStep("fails", "echo broken >&2; exit 1");

        var (before, _) = await RunAsync([Marked("hold")], [failing, Marked("forward") with { Commits = true }]);
        before.ShouldSatisfyAllConditions(o => o.Succeeded.ShouldBeFalse(), o => o.Committed.ShouldBeFalse());
        File.Exists(In("undone-hold")).ShouldBeTrue();
        File.Delete(In("undone-hold"));

        var (after, log) = await RunAsync([Marked("hold")], [Marked("forward") with { Commits = true }], [failing]);
        after.ShouldSatisfyAllConditions(o => o.Succeeded.ShouldBeFalse(), o => o.Committed.ShouldBeTrue());
        log.ShouldContain("failed after the point of no return; nothing is undone");
        File.Exists(In("undone-hold")).ShouldBeFalse();
        File.Exists(In("undone-forward")).ShouldBeFalse();
        var record = DeployRecord.FromJson(File.ReadAllLines(Path.Combine(_target.Root, "acme", "deploys.jsonl"))[^1])!;
        (record.Outcome, record.Error).ShouldBe((DeployRecord.Succeeded, "finished with a failure after the switch: acme@target: fails: broken"));
    }

    [Fact]
    public void Verify_lines_match_only_when_both_are_clean_and_agree_on_counts_bytes_and_digest()
    {
        const string Line = """{"objects":3,"blobs":3,"bytes":30,"digest":"abcdef0123456789","missing":0,"corrupt":0}""";

        MoveStepRunner.Compare("a", Line, "b", Line).ShouldSatisfyAllConditions(r => r.Succeeded.ShouldBeTrue(), r => r.Output.ShouldBe("3 objects, 3 blobs, 30 bytes, digest abcdef012345… on both"));
        MoveStepRunner.Compare("a", Line, "b", Line.Replace("\"objects\":3", "\"objects\":2")).Reason.ShouldBe("a and b differ in objects (3 vs 2)");
        MoveStepRunner.Compare("a", Line, "b", Line.Replace("\"missing\":0", "\"missing\":1")).Reason.ShouldBe("b: 1 blobs missing, 0 corrupt");
        MoveStepRunner.Compare("a", "oops", "b", Line).Succeeded.ShouldBeFalse();
    }

    [Fact]
    public void The_write_hold_is_read_from_the_full_health_report()
    {
        MoveStepRunner.WriteHoldOf(200, """{"status":"ready","writeHold":{"held":true,"since":"2026-01-01T00:00:00Z","reason":"x","inFlightWrites":2}}""").ShouldBe((true, 2L));
        MoveStepRunner.WriteHoldOf(503, """{"writeHold":{"held":false,"since":null,"reason":null,"inFlightWrites":0}}""").ShouldBe((false, 0L));
        MoveStepRunner.WriteHoldOf(200, """{"status":"ready"}""").ShouldBeNull();
        MoveStepRunner.WriteHoldOf(0, "connection refused").ShouldBeNull();
    }

    public void Dispose() => _root.Delete(recursive: true);
}
