using System.CommandLine;
using System.Globalization;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Cli.CliContext;

namespace Storagectl.Cli;

/// <summary>`storagectl status` and `storagectl history`: what runs where and how it got there, read from the hosts themselves.</summary>
public static class StatusCommands
{
    public static Command Status()
    {
        var command = new Command("status", "tenant x host: running version, health, slot, lock and last deploy; exit 1 when any is unhealthy or unreachable")
            { EnvironmentArgument, TenantOption };
        command.SetAction((parse, cancel) => GuardAsync(async () =>
        {
            var config = LoadConfig(parse);
            var environment = config.Environment(parse.GetValue(EnvironmentArgument)!);
            await using var fleet = new HostFleet(config);
            var probes = await fleet.ProbeEachAsync(environment, TenantOf(parse, environment), cancel);
            var table = new TextTable("TENANT", "HOST", "VERSION", "HEALTH", "SLOT", "LOCK", "LAST DEPLOY");
            var healthy = true;
            foreach (var ((tenantName, hostName), (state, error)) in probes.OrderBy(p => RingOrder(environment, p.Key.Tenant)).ThenBy(p => p.Key.Host, StringComparer.Ordinal))
            {
                if (state is null)
                {
                    table.Add(tenantName, hostName, "?", "unreachable: " + error, "", "", "");
                    healthy = false;
                    continue;
                }
                var health = state.CurrentVersion is null ? "not deployed"
                    : await HealthOf(fleet.For(config.Hosts[hostName]), environment.Tenants[tenantName].Port, config.Health, state.CurrentVersion, cancel);
                healthy &= state.CurrentVersion is null || health == "ready";
                table.Add(tenantName, hostName, state.CurrentVersion ?? "-", health, SlotOf(state),
                    state.Lock is { } owner ? $"{owner.Who} since {owner.Since:u}{TenantLock.DeadNote(owner, DateTimeOffset.UtcNow, config.Lock)}"
                    : state.LockUnreadable ? "held (unreadable)" : "free",
                    state.History.Count == 0 ? "-" : Describe(state.History[^1]));
            }
            table.Write(IsPlain(parse));
            return healthy ? 0 : 1;
        }));
        return command;
    }

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
        var command = new Command("history", "deploys and rollbacks per tenant and host, newest first, from each host's deploys.jsonl") { EnvironmentArgument, TenantOption, LimitOption };
        command.SetAction((parse, cancel) => GuardAsync(async () =>
        {
            var limit = parse.GetValue(LimitOption);
            var config = LoadConfig(parse);
            var environment = config.Environment(parse.GetValue(EnvironmentArgument)!);
            await using var fleet = new HostFleet(config);
            var probes = await fleet.ProbeEachAsync(environment, TenantOf(parse, environment), cancel, limit);
            var table = new TextTable("FINISHED (UTC)", "TENANT", "HOST", "KIND", "VERSION", "OUTCOME", "WHO", "TOOK", "ERROR");
            foreach (var record in probes.Values.Where(p => p.State is not null).SelectMany(p => p.State!.History).OrderByDescending(r => r.FinishedAt))
                table.Add(record.FinishedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), record.Tenant, record.Host,
                    record.Kind ?? DeployPlan.Deploy, $"{record.PreviousVersion ?? "-"} -> {record.Version}", record.Outcome, record.Who,
                    $"{(record.FinishedAt - record.StartedAt).TotalSeconds:0}s", record.Error ?? "");
            table.Write(IsPlain(parse));
            var unreachable = probes.Values.Where(p => p.Error is not null).Select(p => p.Error!).ToList();
            foreach (var error in unreachable) Console.Error.WriteLine($"error: {error}");
            return unreachable.Count == 0 ? 0 : 1;
        }));
        return command;
    }

    private static int RingOrder(Configuration.EnvironmentConfig environment, string tenant) =>
        environment.Rings.Select((ring, index) => (ring, index)).FirstOrDefault(r => r.ring.Contains(tenant)).index;

    /// <summary>The active slot, and a warning when the idle one still runs (it holds memory until the next deploy stops it).</summary>
    private static string SlotOf(HostState state) => state.ActiveSlot is not { } active
        ? string.Join(", ", state.RunningSlots.Select(s => s.Name())) is { Length: > 0 } running ? running : "-"
        : active.Name() + string.Concat(state.RunningSlots.Where(s => s != active).Select(s => $" ({s.Name()} also running)"));

    private static string Describe(DeployRecord record) =>
        $"{record.FinishedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {record.Kind ?? DeployPlan.Deploy} {record.Version} {record.Outcome} by {record.Who}";

    /// <summary>The tenant's public port answers /health: "ready", or why not.</summary>
    private static async Task<string> HealthOf(HostConnection connection, int port, Configuration.HealthSettings health, string expectedVersion, CancellationToken cancel)
    {
        try
        {
            var (status, body) = await HealthProbe.GetAsync(connection, port, health.Path, health.TimeoutSeconds, cancel);
            var version = HealthProbe.VersionOf(body);
            return status switch
            {
                0 => "down: " + body.Trim(),
                200 when version == expectedVersion => "ready",
                200 => $"ready, but serves {version ?? "an unknown version"}",
                _ => $"not ready (HTTP {status})",
            };
        }
        catch (IOException e)
        {
            return "unreachable: " + e.Message;
        }
    }
}
