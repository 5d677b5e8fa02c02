using Storagectl.Configuration;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>What a restore starts from: the tenant's placement on the new host, the release that took the snapshot, and the snapshot.</summary>
/// <param name="Context">A context whose environment places the tenant on the new host (and its ports there).</param>
/// <param name="BackupUrl">Where the backups are; it reaches the host on stdin.</param>
public sealed record RestoreRequest(PlanContext Context, string Tenant, Artifact Artifact, SecretSource Secrets, Snapshot Snapshot, string BackupUrl);

/// <summary>
/// `storagectl tenant restore`: a deploy of the release that took the snapshot onto a host that does not run the tenant
/// yet, built from the deploy's own steps: provision under the lock, upload, unpack, .env, check-config, then — before
/// `migrate`, because restore-from needs an empty data folder and database — restore-from and `verify --rehash`, then the
/// deploy's activation (migrate, start, health gate, switch, bake). Recorded as a restore.
/// </summary>
public static class RestorePlanner
{
    public static DeployPlan Plan(RestoreRequest request)
    {
        var context = request.Context with { Kind = DeployPlan.Restore, OnlyTenant = request.Tenant };
        var executable = context.Config.Service.Executable;
        var snapshot = request.Snapshot;
        var stamp = context.Now.ToString("yyyyMMddTHHmmssZ");
        // The context places the tenant on the one new host.
        var host = context.Config.Hosts[context.Environment.Tenants[request.Tenant].Hosts.Single()];
        var paths = new TenantPaths(host.Root, request.Tenant);
        var version = request.Artifact.Version;
        var deploy = DeployPlanner.Plan(new DeployRequest(context, request.Artifact, request.Secrets)
        {
            Provision = true,
            BeforeMigrate =
            [
                new RunStep($"restore snapshot {snapshot.Id} ({snapshot.TakenAtText}) into the empty data folder and database",
                    BackupCommands.RestoreFrom(paths, version, executable, snapshot.TakenAtText), request.BackupUrl)
                    { InputSummary = "the backup URL", Undo = BackupCommands.MoveRestoreAside(paths, stamp), ReportsOutput = true },
                new RunStep($"verify every restored blob (verify --rehash): {snapshot.Objects} objects", BackupCommands.VerifyRestored(paths, version, executable, snapshot.Objects))
                    { ReportsOutput = true },
            ],
        });
        var why = $"the release that took snapshot {snapshot.Id} at {snapshot.TakenAt:u}";
        return deploy with
        {
            Rings = [.. deploy.Rings.Select(ring => ring with { Targets = [.. ring.Targets.Select(target => target with
            {
                Why = why,
                Blocker = target.FromVersion is { } running ? $"{request.Tenant} already runs {running} on {target.Host.Name}: a restore fills a host that does not run the tenant"
                    : !snapshot.TakenBy(request.Artifact) ? $"snapshot {snapshot.Id} was taken by {snapshot.Version}, the artifact is {request.Artifact.Version} ({request.Artifact.Commit})"
                    : target.Blocker,
            })] })],
        };
    }
}
