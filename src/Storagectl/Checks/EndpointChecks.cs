using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;

namespace Storagectl.Checks;

/// <summary>
/// After a deploy, from the host, through the tenant's public port: the health contract with the version `current` names,
/// liveness, the API description, and that an anonymous request is refused (no default tenant, ever). Then whether
/// the last deploy's bake window held the error rate.
/// </summary>
public static class EndpointChecks
{
    public static async Task<IReadOnlyList<ChecklistItem>> RunAsync(DeployConfig config, TenantConfig tenant, HostConfig host, HostConnection connection,
        HostState state, CancellationToken cancellationToken)
    {
        var where = $"{tenant.Name}@{host.Name}";
        if (state.CurrentVersion is null) return [ChecklistItem.Skip($"{where} answers", "nothing is deployed here yet")];
        var version = state.CurrentVersion;
        var timeout = config.Health.TimeoutSeconds;
        var items = new List<ChecklistItem>();
        try
        {
            var (status, body) = await HealthProbe.GetAsync(connection, tenant.Port, config.Health.Path, timeout, cancellationToken);
            var served = HealthProbe.VersionOf(body);
            items.Add(status == 200 && served == version
                ? ChecklistItem.Pass($"{where} is ready with {version}")
                : ChecklistItem.Fail($"{where} is ready with {version}", HealthProbe.Describe(status, body)));
            foreach (var (path, expected, what) in new[] { ("/health/live", 200, "is alive"), ("/openapi/v1.json", 200, "describes its API"), ("/v1/objects", 401, "refuses a request without a key") })
            {
                var (answer, _) = await HealthProbe.GetAsync(connection, tenant.Port, path, timeout, cancellationToken);
                items.Add(answer == expected
                    ? ChecklistItem.Pass($"{where} {what}", $"GET {path} -> {answer}")
                    : ChecklistItem.Fail($"{where} {what}", $"GET {path} -> {(answer == 0 ? "no answer" : answer.ToString())}, expected {expected}"));
            }
        }
        catch (IOException e)
        {
            items.Add(ChecklistItem.Fail($"{where} answers", e.Message));
        }
        // Refused and abandoned runs, provisions and routine runs (probes, backups, checklists) changed nothing that
        // serves: the last run that did is what the bake judged.
        var ran = state.History.LastOrDefault(r => r.Outcome is not (DeployRecord.Refused or DeployRecord.Abandoned) && r.Kind != DeployPlan.Provision
            && !DeployPlan.Routine.Contains(r.Kind));
        items.Add(ran is null ? ChecklistItem.Skip($"{where} error rate", "no deploy recorded")
            : ran.Outcome == DeployRecord.Succeeded
                ? ChecklistItem.Pass($"{where} error rate", $"the bake window after the {ran.Kind ?? DeployPlan.Deploy} of {ran.Version} stayed within {config.Health.MaxErrorRate:P0}")
                : ChecklistItem.Fail($"{where} error rate", $"the last {ran.Kind ?? DeployPlan.Deploy} ({ran.Version}) was {ran.Outcome}: {ran.Error}"));
        return items;
    }
}
