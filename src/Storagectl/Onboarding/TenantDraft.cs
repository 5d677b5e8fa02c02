using StorageApi.Configuration;
using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.Onboarding;

/// <summary>
/// A new tenant as `tenant add` writes it: the environment's shared settings copied from a sibling tenant, its own
/// TENANT_ID, a BACKUP_URL made from the sibling's, and the secrets storagectl generates for it. <see cref="Notes"/> say
/// what was copied from whom and what was left out, so the operator can finish by hand what cannot be generated.
/// </summary>
public sealed record TenantDraft(NewTenant Tenant, string? Sibling, IReadOnlyList<string> GeneratedSecrets, IReadOnlyList<string> Notes)
{
    /// <summary>Settings that are the same for every tenant of an environment; anything else in a sibling's env is its own.</summary>
    public static readonly IReadOnlyList<string> Shared =
    [
        KnownVariables.Environment, KnownVariables.RequestsPerMinute, KnownVariables.RequestBurst, KnownVariables.UploadBytesPerMinute,
        KnownVariables.ConcurrentUploads, KnownVariables.MaxUploadBytes, KnownVariables.MinFreeDiskMegabytes, KnownVariables.OpenAiBaseUrl,
        KnownVariables.EmbeddingModel, KnownVariables.S3Endpoint, KnownVariables.S3Region, KnownVariables.S3ForcePathStyle,
        KnownVariables.BackupInterval, KnownVariables.BackupKeepHourly, KnownVariables.BackupKeepDaily,
    ];

    /// <summary>The secrets storagectl makes for a new tenant: strong random values nobody else has.</summary>
    public static readonly IReadOnlyList<string> Generated = [KnownVariables.AdminApiKey, KnownVariables.SigningKey, KnownVariables.BackupKey];

    /// <summary>ACME_ADMIN_API_KEY for acme's ADMIN_API_KEY; dashes become underscores (new-co -> NEW_CO_…).</summary>
    public static string SecretName(string tenant, string variable) => $"{tenant.ToUpperInvariant().Replace('-', '_')}_{variable}";

    /// <summary>
    /// The sibling is the environment's last tenant on the same host, else its last tenant: the one whose settings a
    /// new customer there most likely shares.
    /// </summary>
    public static TenantDraft Of(EnvironmentConfig environment, string tenant, HostConfig host, TenantPorts ports, string? publicUrl)
    {
        var sibling = environment.Tenants.Values.LastOrDefault(t => t.Hosts.Contains(host.Name)) ?? environment.Tenants.Values.LastOrDefault();
        var notes = new List<string>();
        var env = new List<KeyValuePair<string, string>>();
        var environmentName = sibling?.Env.GetValueOrDefault(KnownVariables.Environment) ?? environment.Name;
        env.Add(new(KnownVariables.Environment, environmentName));
        env.Add(new(KnownVariables.TenantId, tenant));
        if (sibling is null) notes.Add($"{environment.Name} has no other tenant: ENVIRONMENT is '{environmentName}', nothing else was copied");
        else
        {
            var copied = sibling.Env.Where(e => Shared.Contains(e.Key) && e.Key != KnownVariables.Environment).ToList();
            env.AddRange(copied);
            notes.Add($"env copied from {sibling.Name}: {string.Join(", ", copied.Select(e => e.Key).Prepend(KnownVariables.Environment))}");
            var own = sibling.Env.Keys.Where(k => !Shared.Contains(k) && k is not KnownVariables.TenantId and not KnownVariables.BackupUrl).ToList();
            if (own.Count > 0) notes.Add($"not copied from {sibling.Name} (its own, not the environment's): {string.Join(", ", own)}");
        }

        if (sibling?.Env.GetValueOrDefault(KnownVariables.BackupUrl) is { } backupUrl)
        {
            if (backupUrl.Contains(sibling.Name, StringComparison.Ordinal))
            {
                env.Add(new(KnownVariables.BackupUrl, backupUrl.Replace(sibling.Name, tenant, StringComparison.Ordinal)));
                notes.Add($"BACKUP_URL is {sibling.Name}'s with '{sibling.Name}' replaced by '{tenant}'; make sure that place exists and is writable");
            }
            else notes.Add($"no BACKUP_URL: {sibling.Name}'s ({backupUrl}) does not name {sibling.Name}, so there is no telling where {tenant}'s backups go; add one by hand, with a BACKUP_KEY secret");
        }

        var secrets = Generated.Where(v => v != KnownVariables.BackupKey || env.Any(e => e.Key == KnownVariables.BackupUrl))
            .Select(v => new KeyValuePair<string, string>(v, SecretName(tenant, v))).ToList();
        var notGiven = sibling?.Secrets.Keys.Where(k => !Generated.Contains(k)).ToList() ?? [];
        if (notGiven.Count > 0)
            notes.Add($"secrets {sibling!.Name} has that cannot be generated, not given to {tenant}: {string.Join(", ", notGiven)} " +
                      $"(add e.g. `{notGiven[0]}: {SecretName(tenant, notGiven[0])}` under its secrets: and set the value)");
        var newTenant = new NewTenant(tenant, [host.Name], ports.Port, ports.SlotPorts, env, secrets, publicUrl);
        return new TenantDraft(newTenant, sibling?.Name, [.. secrets.Select(s => s.Value)], notes);
    }
}
