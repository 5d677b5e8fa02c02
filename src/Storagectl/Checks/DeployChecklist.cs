using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;
using Storagectl.Releases;
using Storagectl.Processes;

namespace Storagectl.Checks;

/// <summary>What the checklist is asked about: the environment, maybe one tenant, maybe the artifact about to ship (or just shipped), and who asks.</summary>
public sealed record ChecklistRequest(
    DeployConfig Config, EnvironmentConfig Environment, string? OnlyTenant, Artifact? Artifact,
    string Repository, string? TestCommand, TextWriter Log, string Who);

/// <summary>A tenant@host the checklist read, with what it found there.</summary>
public sealed record CheckedTarget(TenantConfig Tenant, HostConfig Host, HostState State)
{
    public string Name => $"{Tenant.Name}@{Host.Name}";
}

/// <summary>The checklist's items, and the tenant@hosts it checked after the deploy of the artifact (empty before one).</summary>
public sealed record ChecklistRun(IReadOnlyList<ChecklistItem> Items, IReadOnlyList<CheckedTarget> AfterDeploy)
{
    public int FailedCount => Items.Count(i => i.Status == CheckStatus.Failed);
}

/// <summary>
/// The deployment checklist: what a machine can judge is a gate (tests, changelog, migrations on a copy of each
/// tenant's database, endpoints and error rate after the deploy); what it cannot is printed for a person to tick.
/// Given an artifact the environment already runs (every tenant@host read, by sha256), it is the checklist after the
/// deploy: instead of rehearsing migrations it checks the bytes that run and the isolation probe (<see cref="AfterDeployChecks"/>).
/// </summary>
public static class DeployChecklist
{
    /// <summary>
    /// After the deploy: every tenant@host that could be read runs the artifact (its current release's kept manifest has the
    /// artifact's sha256). Partly deployed is before: the rest still needs its migrations rehearsed, and a retried deploy its checklist.
    /// </summary>
    public static bool RunsArtifact(Artifact? artifact, IReadOnlyCollection<HostState> states) =>
        artifact is { IsBuilt: true } && states.Count > 0
        && states.All(s => Artifact.SameBytes(artifact.Sha256, s.RunningSha256));

    public static async Task<ChecklistRun> RunAsync(ChecklistRequest request, HostFleet fleet, CancellationToken cancellationToken)
    {
        var items = new List<ChecklistItem>();
        items.Add(await TestsAsync(request, cancellationToken));
        items.Add(ChangelogNames(request.Repository, request.Artifact));

        var probes = await fleet.ProbeEachAsync(request.Environment, request.OnlyTenant, cancellationToken);
        var targets = probes.OrderBy(p => p.Key.Tenant, StringComparer.Ordinal).ThenBy(p => p.Key.Host, StringComparer.Ordinal).ToList();
        foreach (var ((tenantName, hostName), (_, error)) in targets.Where(t => t.Value.Error is not null))
            items.Add(ChecklistItem.Fail($"{tenantName}@{hostName} can be read", error!));
        var reachable = targets.Where(t => t.Value.State is not null)
            .Select(t => new CheckedTarget(request.Environment.Tenants[t.Key.Tenant], request.Config.Hosts[t.Key.Host], t.Value.State!)).ToList();
        var afterDeploy = RunsArtifact(request.Artifact, [.. reachable.Select(r => r.State)]);

        if (request.Artifact is null)
            items.Add(ChecklistItem.Skip("migrations apply to a copy of each tenant's database", "give --artifact to rehearse the release's migrations"));
        else if (afterDeploy)
            items.AddRange(AfterDeployChecks.RunsArtifact(request.Artifact, reachable));
        else
            items.AddRange(await RehearseAsync(request, fleet, reachable, cancellationToken));

        foreach (var (tenant, host, state) in reachable)
            items.AddRange(await EndpointChecks.RunAsync(request.Config, tenant, host, fleet.For(host), state, cancellationToken));
        if (afterDeploy) items.Add(await AfterDeployChecks.IsolationAsync(request, fleet, reachable, cancellationToken));

        var version = request.Artifact?.Version ?? "the new version";
        items.Add(ChecklistItem.ForPeople($"tell the customers of {request.Environment.Name} what {version} changes (its CHANGELOG.md section)"));
        items.Add(ChecklistItem.ForPeople("watch each tenant's error tracking for 30 minutes after the deploy"));
        items.Add(ChecklistItem.ForPeople($"know the way back: storagectl rollback {request.Environment.Name} [--tenant t] [--to version]"));
        items.Add(ChecklistItem.ForPeople("copy the hosts' shared/backups off the hosts"));
        return new ChecklistRun(items, afterDeploy ? reachable : []);
    }

    private static async Task<ChecklistItem> TestsAsync(ChecklistRequest request, CancellationToken cancellationToken)
    {
        const string title = "the tests pass";
        if (request.TestCommand is null) return ChecklistItem.Skip(title, "--skip-tests");
        try
        {
            await TestCommand.RequireGreenAsync(request.TestCommand, request.Repository, request.Log, cancellationToken);
            return ChecklistItem.Pass(title, request.TestCommand);
        }
        catch (ReleaseException e)
        {
            return ChecklistItem.Fail(title, e.Message);
        }
    }

    /// <summary>A release version needs its `## [X.Y.Z]` section; development builds (X.Y.Z-dev…) do not.</summary>
    public static ChecklistItem ChangelogNames(string repository, Artifact? artifact)
    {
        const string title = "CHANGELOG.md describes the version";
        if (artifact is null) return ChecklistItem.Skip(title, "give --artifact to name the version");
        if (artifact.Version.Contains('-')) return ChecklistItem.Skip(title, $"{artifact.Version} is a development build");
        var file = Path.Combine(repository, Changelog.FileName);
        var heading = $"## [{artifact.Version}]";
        return File.Exists(file) && File.ReadLines(file).Any(l => l.StartsWith(heading, StringComparison.Ordinal))
            ? ChecklistItem.Pass(title, heading)
            : ChecklistItem.Fail(title, $"no '{heading}' section in {Changelog.FileName}; `storagectl release` writes it");
    }

    /// <summary>Unpacks the artifact once, then rehearses on every tenant and host (each host keeps its own database).</summary>
    private static async Task<IReadOnlyList<ChecklistItem>> RehearseAsync(ChecklistRequest request, HostFleet fleet,
        IReadOnlyList<CheckedTarget> targets, CancellationToken cancellationToken)
    {
        var unpacked = Directory.CreateTempSubdirectory("storagectl-release-");
        try
        {
            await ProcessRunner.RequireAsync("tar", ["-xzf", request.Artifact!.File, "-C", unpacked.FullName], unpacked.FullName, cancellationToken);
            var items = new List<ChecklistItem>();
            foreach (var (tenant, host, state) in targets)
                items.Add(state.CurrentVersion is null
                    ? ChecklistItem.Skip($"migrations apply to a copy of {tenant.Name}'s database ({host.Name})", "nothing deployed yet: the first deploy creates the database")
                    : await MigrationRehearsal.RunAsync(request.Config, tenant, host, fleet.For(host), unpacked.FullName, cancellationToken));
            return items;
        }
        finally
        {
            unpacked.Delete(recursive: true);
        }
    }
}
