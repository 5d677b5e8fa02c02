using System.CommandLine;
using Storagectl.Hosts;
using Storagectl.Planning;
using static Storagectl.Cli.CliContext;

namespace Storagectl.Cli;

/// <summary>`storagectl lock status|release`: see who holds a tenant's deploy lock, and break it when that deploy is dead.</summary>
public static class LockCommands
{
    public static Command Lock()
    {
        var status = new Command("status", "who holds each tenant's deploy lock") { EnvironmentArgument, TenantOption };
        status.SetAction((parse, cancel) => GuardAsync(async () =>
        {
            var config = LoadConfig(parse);
            var environment = config.Environment(parse.GetValue(EnvironmentArgument)!);
            await using var fleet = new HostFleet(config);
            var states = await fleet.ProbeAsync(environment, TenantOf(parse, environment), cancel);
            foreach (var ((tenant, host), state) in states.OrderBy(s => s.Key))
                Console.WriteLine($"{tenant}@{host}\t" + (state.Lock is { } owner ? $"locked by {owner.Who} since {owner.Since:u} for {owner.Version}{(TenantLock.DeadBecause(owner, DateTimeOffset.UtcNow, config.Lock) is { } dead ? $" (dead: {dead})" : "")}"
                    : state.LockUnreadable ? "locked (owner unreadable)" : "free"));
            return 0;
        }));

        var release = new Command("release", "remove a tenant's deploy lock on its hosts (only when the deploy holding it is dead)") { EnvironmentArgument, TenantOption };
        release.SetAction((parse, cancel) => GuardAsync(async () =>
        {
            var config = LoadConfig(parse);
            var environment = config.Environment(parse.GetValue(EnvironmentArgument)!);
            if (TenantOf(parse, environment) is not { } tenant)
            {
                Console.Error.WriteLine("error: name the tenant whose lock to release with --tenant");
                return 2;
            }
            var tenantConfig = environment.Tenants[tenant];
            await using var fleet = new HostFleet(config);
            foreach (var host in tenantConfig.Hosts.Select(h => config.Hosts[h]))
            {
                var paths = new TenantPaths(host.Root, tenant);
                var connection = fleet.For(host);
                var read = await connection.RunAsync($"if [ -d {Shell.Quote(paths.Lock)} ]; then echo held; cat {Shell.Quote(paths.LockOwner)} 2>/dev/null; fi", (string?)null, cancel);
                if (!read.Succeeded) return Fail(tenant, host, read.Reason);
                if (read.Output.Trim().Length == 0)
                {
                    Console.WriteLine($"{tenant}@{host.Name}: no lock held");
                    continue;
                }
                // The run that held the lock never finished: history says so, with who released its lock.
                var readOwner = LockOwner.FromJson(read.Output.Trim()["held".Length..].Trim());
                var owner = readOwner ?? new LockOwner("an unknown run", DateTimeOffset.UtcNow, "?", "");
                if (readOwner is not null && TenantLock.DeadBecause(readOwner, DateTimeOffset.UtcNow, config.Lock) is null)
                    Console.Error.WriteLine($"warning: {tenant}@{host.Name}: {owner.Who}'s run may still be working on this host (locked since {owner.Since:u}); it is recorded as abandoned");
                var record = TenantLock.Abandoned(environment.Name, host.Name, paths, owner, DateTimeOffset.UtcNow, $"its lock was released by {Who()}");
                var result = await connection.RunAsync(TenantLock.BreakScript(paths, readOwner?.Token), record.ToJson() + "\n", cancel);
                if (!result.Succeeded) return Fail(tenant, host, result.Reason);
                Console.WriteLine($"{tenant}@{host.Name}: lock of {owner.Who} (since {owner.Since:u}, {owner.Version}) released; recorded as abandoned");
            }
            return 0;
        }));

        return new Command("lock", "the per-tenant deploy lock") { status, release };
    }

    private static int Fail(string tenant, Configuration.HostConfig host, string reason)
    {
        Console.Error.WriteLine($"error: {tenant}@{host.Name}: {reason}");
        return 1;
    }
}
