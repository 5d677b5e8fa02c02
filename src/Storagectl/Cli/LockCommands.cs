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
                Console.WriteLine($"{tenant}@{host}\t" + (state.Lock is { } owner ? $"locked by {owner.Who} since {owner.Since:u} for {owner.Version}"
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
                var result = await fleet.For(host).RunAsync($"rm -rf {Shell.Quote(paths.Lock)}", (string?)null, cancel);
                Console.WriteLine(result.Succeeded ? $"{tenant}@{host.Name}: lock released" : $"{tenant}@{host.Name}: {result.Reason}");
                if (!result.Succeeded) return 1;
            }
            return 0;
        }));

        return new Command("lock", "the per-tenant deploy lock") { status, release };
    }
}
