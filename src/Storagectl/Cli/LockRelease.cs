using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Cli;

/// <summary>What releasing a tenant's lock did on one host: released, nothing to do, refused, or failed.</summary>
public sealed record LockReleaseResult(string Target, bool Failed, string Message);

/// <summary>
/// Breaks a tenant's deploy lock on each of its hosts and records the run that held it as abandoned, with who released
/// it: the one way `storagectl lock release` and the dashboard do it.
/// </summary>
public static class LockRelease
{
    /// <param name="onlyDead">Refuse a lock whose run may still be working (the dashboard); the CLI releases it with <paramref name="warn"/>ed words.</param>
    public static async Task<IReadOnlyList<LockReleaseResult>> ReleaseAsync(DeployConfig config, EnvironmentConfig environment, string tenant, HostFleet fleet,
        string who, bool onlyDead, Action<string> warn, CancellationToken cancel)
    {
        var results = new List<LockReleaseResult>();
        foreach (var ((_, hostName), state) in (await fleet.ProbeAsync(environment, tenant, cancel)).OrderBy(s => s.Key))
        {
            var host = config.Hosts[hostName];
            var target = $"{tenant}@{host.Name}";
            if (state.Lock is null && !state.LockUnreadable)
            {
                results.Add(new(target, false, $"{target}: no lock held"));
                continue;
            }
            // The run that held the lock never finished: history says so, with who released its lock.
            var owner = state.Lock ?? new LockOwner("an unknown run", DateTimeOffset.UtcNow, "?", "");
            if (state.Lock is not null && TenantLock.DeadBecause(owner, DateTimeOffset.UtcNow, config.Lock) is null)
            {
                var alive = $"{target}: {owner.Who}'s run may still be working on this host (locked since {owner.Since:u})";
                if (onlyDead)
                {
                    results.Add(new(target, true, $"{alive}; its lock is released only once that run is dead or stale"));
                    continue;
                }
                warn($"{alive}; it is recorded as abandoned");
            }
            var paths = new TenantPaths(host.Root, tenant);
            var record = TenantLock.Abandoned(environment.Name, host.Name, paths, owner, DateTimeOffset.UtcNow, $"its lock was released by {who}");
            var result = await fleet.For(host).RunAsync(TenantLockCommands.Break(paths, state.Lock?.Token), record.ToJson() + "\n", cancel);
            if (!result.Succeeded)
            {
                results.Add(new(target, true, $"{target}: {result.Reason}"));
                break;
            }
            results.Add(new(target, false, $"{target}: lock of {owner.Who} (since {owner.Since:u}, {owner.Version}) released; recorded as abandoned"));
        }
        return results;
    }
}
