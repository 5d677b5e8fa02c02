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
            foreach (var ((_, hostName), state) in (await fleet.ProbeAsync(environment, tenant, cancel)).OrderBy(s => s.Key))
            {
                var host = config.Hosts[hostName];
                if (state.Lock is null && !state.LockUnreadable)
                {
                    Console.WriteLine($"{tenant}@{host.Name}: no lock held");
                    continue;
                }
                // The run that held the lock never finished: history says so, with who released its lock.
                var owner = state.Lock ?? new LockOwner("an unknown run", DateTimeOffset.UtcNow, "?", "");
                if (state.Lock is not null && TenantLock.DeadBecause(owner, DateTimeOffset.UtcNow, config.Lock) is null)
                    Console.Error.WriteLine($"warning: {tenant}@{host.Name}: {owner.Who}'s run may still be working on this host (locked since {owner.Since:u}); it is recorded as abandoned");
                var paths = new TenantPaths(host.Root, tenant);
                var record = TenantLock.Abandoned(environment.Name, host.Name, paths, owner, DateTimeOffset.UtcNow, $"its lock was released by {Operator.Who()}");
                var result = await fleet.For(host).RunAsync(TenantLockCommands.Break(paths, state.Lock?.Token), record.ToJson() + "\n", cancel);
                if (!result.Succeeded)
                {
                    Console.Error.WriteLine($"error: {tenant}@{host.Name}: {result.Reason}");
                    return 1;
                }
                Console.WriteLine($"{tenant}@{host.Name}: lock of {owner.Who} (since {owner.Since:u}, {owner.Version}) released; recorded as abandoned");
            }
            return 0;
        });

        return new Command("lock", "the per-tenant deploy lock") { status, release };
    }
}
