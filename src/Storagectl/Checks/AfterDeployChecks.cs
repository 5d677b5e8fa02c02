using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Checks;

/// <summary>
/// The checks only the checklist after a deploy has: that each tenant@host runs the artifact's very bytes, and the
/// isolation probe every deploy runs after its switch, asked again of the environment as it runs now (the same
/// <see cref="IsolationProbe"/> as `storagectl probe`). Endpoints and the bake's error rate are <see cref="EndpointChecks"/>.
/// </summary>
public static class AfterDeployChecks
{
    public static IEnumerable<ChecklistItem> RunsArtifact(Artifact artifact, IReadOnlyList<CheckedTarget> targets) =>
        targets.Select(t => Artifact.SameBytes(artifact.Sha256, t.State.RunningSha256)
            ? ChecklistItem.Pass($"{t.Name} runs {artifact.Version}", $"sha256 {Artifact.ShortHash(artifact.Sha256)}… in its release.json")
            : ChecklistItem.Fail($"{t.Name} runs {artifact.Version}", $"it runs {t.State.CurrentVersion ?? "nothing"} (sha256 {(t.State.RunningSha256 is { } s ? Artifact.ShortHash(s) + "…" : "unknown")})"));

    /// <summary>One gate for the whole probe: its summary names every failed check. A run holding a tenant's lock probes by itself, so a held lock fails the gate.</summary>
    public static async Task<ChecklistItem> IsolationAsync(ChecklistRequest request, HostFleet fleet, IReadOnlyList<CheckedTarget> targets, CancellationToken cancellationToken)
    {
        const string title = "each tenant's isolation (the isolation probe)";
        var context = new PlanContext(request.Config, request.Environment, targets.ToDictionary(t => (t.Tenant.Name, t.Host.Name), t => t.State),
            request.Who, DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N"), request.OnlyTenant);
        var step = IsolationProbePlan.ForEnvironment(context);
        var locked = IsolationProbePlan.Locked(context, step);
        if (locked.Count > 0) return ChecklistItem.Fail(title, string.Join("; ", locked.Select(l => $"{l.Subject.Name}: {l.Blocker}")));
        var report = await new IsolationProbe(fleet.For).RunAsync(step, cancellationToken);
        return report.Passed ? ChecklistItem.Pass(title, report.Summary) : ChecklistItem.Fail(title, report.Summary);
    }
}
