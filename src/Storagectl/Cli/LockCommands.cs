using System.CommandLine;
using Storagectl.HostCommands;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>`storagectl lock status|release`: see who holds a tenant's deploy lock, and break it when that deploy is dead.</summary>
public static class LockCommands
{
    public static Command Lock()
    {
        var status = new Command("status", "who holds each tenant's deploy lock") { EnvironmentArgument, TenantOption };
        status.SetGuardedAction(async (parse, cancel) =>
        {
            var (config, environment, onlyTenant) = VerbScope.Of(parse);
            await using var fleet = new HostFleet(config);
            var states = await fleet.ProbeAsync(environment, onlyTenant, cancel);
            foreach (var ((tenant, host), state) in states.OrderBy(s => s.Key))
                Console.WriteLine($"{tenant}@{host}\t" + (state.Lock is { } owner ? $"locked by {owner.Who} since {owner.Since:u} for {owner.Version}{TenantLock.DeadNote(owner, DateTimeOffset.UtcNow, config.Lock)}"
                    : state.LockUnreadable ? "locked (owner unreadable)" : "free"));
            return 0;
        });

        var release = new Command("release", "remove a tenant's deploy lock on its hosts (only when the deploy holding it is dead)") { EnvironmentArgument, TenantOption };
        release.SetGuardedAction(async (parse, cancel) =>
        {
            var (config, environment, onlyTenant) = VerbScope.Of(parse);
            if (onlyTenant is not { } tenant)
            {
                Console.Error.WriteLine("error: name the tenant whose lock to release with --tenant");
                return 2;
            }
            await using var fleet = new HostFleet(config);
            var results = await LockRelease.ReleaseAsync(config, environment, tenant, fleet, Operator.Who(), onlyDead: false, w => Console.Error.WriteLine($"warning: {w}"), cancel);
            foreach (var result in results)
                if (result.Failed) Console.Error.WriteLine($"error: {result.Message}");
                else Console.WriteLine(result.Message);
            return results.Any(r => r.Failed) ? 1 : 0;
        });

        return new Command("lock", "the per-tenant deploy lock") { status, release };
    }
}
