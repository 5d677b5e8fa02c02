using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Cli.CommonOptions;
using static Storagectl.Cli.Reporters;

namespace Storagectl.Cli;

/// <summary>`storagectl status` and `storagectl history`: what runs where and how it got there, read from the hosts themselves.</summary>
public static class StatusCommands
{
    private static readonly Option<bool> JsonOption = new("--json") { Description = "print JSON (camelCase, documented in README) instead of a table" };

    /// <summary>Read by people as often as by scripts: quotes and '&lt;' stay as they are.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonOptions.Indented) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Status()
    {
        var command = new Command("status", "tenant x host: running version and sha256, health, slot, lock and last deploy; exit 1 when any is unhealthy or unreachable")
            { EnvironmentArgument, TenantOption, JsonOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var (config, environment, tenant) = VerbScope.Of(parse);
            await using var fleet = new HostFleet(config);
            var status = await StatusReport.GatherAsync(config, environment, tenant, fleet, cancel);
            if (parse.GetValue(JsonOption)) Console.WriteLine(JsonSerializer.Serialize(status, Json));
            else WriteTable(status, IsPlain(parse));
            return status.Healthy ? 0 : 1;
        });
        return command;
    }

    /// <summary>One row per tenant and host; a cell holds a few words, and the full messages follow under the table.</summary>
    private static void WriteTable(EnvironmentStatus status, bool plain)
    {
        var now = DateTimeOffset.UtcNow;
        var table = new TextTable("TENANT", "HOST", "VERSION", "SHA256", "HEALTH", "SLOT", "LOCK", "LAST DEPLOY", "LAST BACKUP", "ROLLBACK TARGET");
        foreach (var target in status.Targets)
            table.Add(target.Tenant, target.Host, target.Reachable ? target.Version ?? "-" : "?", Sha256Of(target), target.Health.Summary,
                target.Reachable ? SlotOf(target) : "", !target.Reachable ? "" : LockOf(target.Lock),
                !target.Reachable ? "" : target.LastDeploy is { } last ? Describe(last) : "-", !target.Reachable ? "" : target.Backup?.Summary ?? "-",
                !target.Reachable ? "" : target.Warm?.Summary(now) ?? "-");
        table.Write(plain);
        foreach (var target in status.Targets.Where(t => t.Health.Detail is not null))
            Console.WriteLine($"{target.Tenant}@{target.Host}: {target.Health.Detail}");
    }

    /// <summary>The first 12 hex digits, enough to see that every host runs the same bytes; "?" where a release has no kept manifest.</summary>
    private static string Sha256Of(TargetStatus target) =>
        !target.Reachable ? "" : target.Sha256 is { } sha256 ? Artifact.ShortHash(sha256) : target.Version is null ? "-" : "?";

    private static string LockOf(LockStatus? owner) =>
        owner is null ? "free"
        : owner.Unreadable ? "held (unreadable)"
        : $"{owner.Who} since {owner.Since:u}{(owner.Dead is null ? "" : $" (dead: {owner.Dead})")}";

    private static readonly Option<int> LimitOption = new("--limit", "-n")
    {
        Description = "entries per tenant and host (1-10000)",
        DefaultValueFactory = _ => 20,
        CustomParser = result =>
        {
            if (int.TryParse(result.Tokens.LastOrDefault()?.Value, out var limit) && limit is >= 1 and <= 10_000) return limit;
            result.AddError("--limit: give a number from 1 to 10000");
            return 0;
        },
    };

    public static Command History()
    {
        var command = new Command("history", "deploys and rollbacks per tenant and host, newest first, from each host's deploys.jsonl")
            { EnvironmentArgument, TenantOption, LimitOption, JsonOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var limit = parse.GetValue(LimitOption);
            var (config, environment, tenant) = VerbScope.Of(parse);
            await using var fleet = new HostFleet(config);
            var probes = await fleet.ProbeEachAsync(environment, tenant, cancel, limit);
            var records = probes.Values.Where(p => p.State is not null).SelectMany(p => p.State!.History).OrderByDescending(r => r.FinishedAt).ToList();
            var unreachable = probes.Where(p => p.Value.Error is not null)
                .Select(p => new UnreadHost(p.Key.Tenant, p.Key.Host, Unreachable.OneLine(p.Value.Error!))).OrderBy(u => u.Tenant).ThenBy(u => u.Host).ToList();
            if (parse.GetValue(JsonOption))
                Console.WriteLine(JsonSerializer.Serialize(new EnvironmentHistory(environment.Name, records, unreachable), Json));
            else
            {
                var table = new TextTable("FINISHED (UTC)", "TENANT", "HOST", "KIND", "VERSION", "OUTCOME", "WHO", "TOOK", "ERROR");
                foreach (var record in records)
                    table.Add(record.FinishedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), record.Tenant, record.Host,
                        record.Kind ?? DeployPlan.Deploy, record.Kind == HostCommands.WarmSlotCommands.EndKind ? $"stopped {record.Version}" : $"{record.PreviousVersion ?? "-"} -> {record.Version}", record.Outcome, record.Who,
                        $"{(record.FinishedAt - record.StartedAt).TotalSeconds:0}s", record.Error ?? "");
                table.Write(IsPlain(parse));
            }
            foreach (var host in unreachable) Console.Error.WriteLine($"error: {host.Error}");
            return unreachable.Count == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>`history --json`: the records newest first, and the tenant folders that could not be read.</summary>
    public sealed record EnvironmentHistory(string Environment, IReadOnlyList<DeployRecord> Entries, IReadOnlyList<UnreadHost> Unreachable);

    public sealed record UnreadHost(string Tenant, string Host, string Error);

    /// <summary>
    /// The active slot, and a warning when the idle one still runs outside a rollback window (it holds memory until the
    /// next deploy stops it); a warm slot has its own column.
    /// </summary>
    private static string SlotOf(TargetStatus target) => target.ActiveSlot is not { } active
        ? string.Join(", ", target.RunningSlots) is { Length: > 0 } running ? running : "-"
        : active + string.Concat(target.RunningSlots.Where(s => s != active && s != target.Warm?.Slot).Select(s => $" ({s} also running)"));

    private static string Describe(DeployRecord record) =>
        $"{record.FinishedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {record.Kind ?? DeployPlan.Deploy} {record.Version} {record.Outcome} by {record.Who}";
}
