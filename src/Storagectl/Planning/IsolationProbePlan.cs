using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>
/// One tenant instance the isolation probe talks to: its public port (nginx, or the service itself without a proxy),
/// the port its full /health report is asked on (the active slot's; null for instances that are only "others"), and
/// the binary whose admin verbs create and revoke its probe key (run in shared/, where .env is).
/// </summary>
public sealed record ProbeInstance(string Tenant, HostConfig Host, TenantPaths Paths, int PublicPort, int? HealthPort, string Binary)
{
    public string Name => $"{Tenant}@{Host.Name}";
}

/// <summary>
/// Pure planning of the isolation probe: who is probed, who the others are, and how it reads in a plan. The deploy
/// and rollback planners put one probe per target after the switch; `storagectl probe` probes every tenant at once.
/// </summary>
public static class IsolationProbePlan
{
    /// <summary>Every probe key is named so; the run's own suffix tells its keys from any other run's.</summary>
    public const string KeyPrefix = "isolation-probe-";

    /// <summary>The checks a tenant gets only once it exists in its instance (it needs a key of its own for them).</summary>
    public static readonly IReadOnlyList<string> ChecksThatNeedTheTenant =
        ["probe key on an admin route", "other tenants' objects", "probe key on other instances", "revoked probe key"];

    /// <summary>
    /// The probe after <paramref name="target"/>'s switch to <paramref name="version"/>, whose slot now answers on
    /// <paramref name="healthPort"/>: every other tenant of the environment is an "other", whatever the run touches.
    /// </summary>
    public static IsolationProbeStep AfterSwitch(PlanContext context, TenantConfig tenant, HostConfig host, TenantPaths paths, string version, int healthPort)
    {
        var subject = new ProbeInstance(tenant.Name, host, paths, tenant.Port, healthPort, $"{paths.Release(version)}/{context.Config.Service.Executable}");
        var run = $"{context.LockToken[..Math.Min(8, context.LockToken.Length)]}-{tenant.Name}-{host.Name}";
        return new IsolationProbeStep($"check {tenant.Name}'s isolation", KeyPrefix + run, [subject], Others(context, [tenant.Name]), context.Config.Health.TimeoutSeconds)
            { ReportsOutput = true };
    }

    /// <summary>
    /// `storagectl probe`: every tenant of the environment (or the one asked for) is probed as it runs now, its full
    /// /health asked on its active slot; the environment's other tenants are the others.
    /// </summary>
    public static IsolationProbeStep ForEnvironment(PlanContext context)
    {
        var tenants = context.Environment.Tenants.Values.Where(t => context.OnlyTenant is null || t.Name == context.OnlyTenant).ToList();
        var subjects = tenants.SelectMany(t => t.Hosts.Select(h => context.Config.Hosts[h]).Select(host => Instance(context, t, host, Activation.ActivePort(t, host, context.StateOf(t, host))))).ToList();
        return new IsolationProbeStep($"probe the isolation of {context.Environment.Name}", KeyPrefix + context.LockToken[..Math.Min(8, context.LockToken.Length)],
            subjects, Others(context, [.. tenants.Select(t => t.Name)]), context.Config.Health.TimeoutSeconds);
    }

    /// <summary>The probed instances whose tenant lock another run holds, and why: that run probes by itself, so the probe waits for it.</summary>
    public static IReadOnlyList<(ProbeInstance Subject, string Blocker)> Locked(PlanContext context, IsolationProbeStep step) =>
        [.. step.Subjects.Select(s => (Subject: s, Blocker: TenantLock.Blocker(context, context.StateOf(context.Environment.Tenants[s.Tenant], s.Host), s.Tenant)))
            .Where(l => l.Blocker is not null).Select(l => (l.Subject, l.Blocker!))];

    /// <summary>Every instance of the environment's tenants other than <paramref name="subjects"/>, run by the release current points at.</summary>
    public static IReadOnlyList<ProbeInstance> Others(PlanContext context, IReadOnlyCollection<string> subjects) =>
        [.. context.Environment.Tenants.Values.Where(t => !subjects.Contains(t.Name))
            .SelectMany(t => t.Hosts.Select(h => Instance(context, t, context.Config.Hosts[h], healthPort: null)))];

    /// <summary>An instance as it runs now: the binary current points at; /health on the active slot when asked for.</summary>
    public static ProbeInstance Instance(PlanContext context, TenantConfig tenant, HostConfig host, int? healthPort)
    {
        var paths = new TenantPaths(host.Root, tenant.Name);
        return new ProbeInstance(tenant.Name, host, paths, tenant.Port, healthPort, $"{paths.Current}/{context.Config.Service.Executable}");
    }

    public static string Describe(IsolationProbeStep step)
    {
        var lines = new List<string>();
        foreach (var subject in step.Subjects)
        {
            var others = step.Others.Count == 0 ? "(none)" : string.Join(", ", step.Others.Select(o => $"{o.Name}:{o.PublicPort}"));
            lines.Add($"with a probe key named {step.KeyName} and a probe object, through 127.0.0.1:{subject.PublicPort} on {subject.Host.Name}:");
            lines.Add($"  no key -> 401; the probe key on /v1/admin/tenants -> 403; revoked -> 401");
            lines.Add($"  {HostCommands.HealthCommands.Url(subject.HealthPort ?? subject.PublicPort, "/health")} names tenant {subject.Tenant}");
            lines.Add($"  other tenants' probe keys here -> 401, their object ids with {subject.Tenant}'s key -> 404, {subject.Tenant}'s key on theirs -> 401: {others}");
        }
        lines.Add($"probe keys and objects are removed afterwards, also when a check fails; {step.TimeoutSeconds}s timeout per request");
        return string.Join('\n', lines);
    }
}
