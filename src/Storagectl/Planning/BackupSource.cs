using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>Where a tenant's off-host backups are: BACKUP_URL from its env, or from its secrets on this machine.</summary>
public static class BackupSource
{
    public const string UrlVariable = "BACKUP_URL";
    public const string KeyVariable = "BACKUP_KEY";

    public static bool IsConfigured(TenantConfig tenant) => tenant.Env.ContainsKey(UrlVariable) || tenant.Secrets.ContainsKey(UrlVariable);

    /// <summary>The URL, or null when the tenant has none (or its secret is not set here).</summary>
    public static string? UrlOf(TenantConfig tenant, SecretSource secrets) =>
        tenant.Env.TryGetValue(UrlVariable, out var url) && url.Length > 0 ? url
        : secrets.Resolve(tenant).Values.TryGetValue(UrlVariable, out var secret) ? secret : null;

    public static string Missing(string environment, string tenant) =>
        $"{tenant} has no {UrlVariable}: add it to environments.{environment}.tenants.{tenant}.env (or its secrets) with {KeyVariable} in its secrets";
}
