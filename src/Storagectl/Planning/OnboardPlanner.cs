using Storagectl.Configuration;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>
/// The last part of `storagectl tenant add`, after the new tenant is provisioned and runs the environment's release:
/// under the tenant lock, create the tenant in its instance's database and a first API key (captured, never logged),
/// check isolation, and record the run as <see cref="DeployPlan.Onboard"/> in the tenant's history. Changes no version.
/// </summary>
public static class OnboardPlanner
{
    public const string FirstKeyName = "first-key";

    public static DeployPlan Plan(PlanContext context, TenantConfig tenant, HostConfig host, string version, string displayName)
    {
        var paths = new TenantPaths(host.Root, tenant.Name);
        var state = context.StateOf(tenant, host);
        var executable = context.Config.Service.Executable;
        var steps = new List<Step>(TenantLock.Steps(context, host, paths, state, version, DeployPlan.Onboard))
        {
            new RunStep($"create the tenant {tenant.Name} ({displayName})", TenantAdminCommands.CreateTenant(paths, version, executable, tenant.Name, displayName))
                { KeptOnUndo = "the tenant's row in its own database: running tenant add again finds it" },
            FirstKey(paths, version, executable, tenant.Name),
        };
        // Its first deploy probed what needs no key of its own; now that it has a tenant, every check runs.
        steps.Add(IsolationProbePlan.ForEnvironment(context with { OnlyTenant = tenant.Name }) with { Title = $"check {tenant.Name}'s isolation" });
        var blocker = state.CurrentVersion != version ? $"{tenant.Name}@{host.Name} runs {state.CurrentVersion ?? "nothing"}, not {version}" : TenantLock.Blocker(context, state, tenant.Name);
        var commit = state.Manifests.GetValueOrDefault(version)?.Commit;
        return new DeployPlan(context.Environment.Name, DeployPlan.Onboard, null, context.Who,
            [new RingPlan(1, [new TargetPlan(tenant, host, paths, version, version, commit, [], steps, [], [], blocker, TenantLockCommands.Release(paths, context.LockToken))])]);
    }

    /// <summary>The step whose output (<see cref="Step.CapturesOutput"/>) is the new key, or nothing when the tenant has one.</summary>
    public static RunStep FirstKey(TenantPaths paths, string version, string executable, string tenant) =>
        new($"create the first API key ({FirstKeyName})", TenantAdminCommands.CreateFirstKey(paths, version, executable, tenant, FirstKeyName)) { CapturesOutput = true };
}
