using System.Text.RegularExpressions;

namespace StorageApi.Tenancy;

/// <summary>Tenant ids are DNS-label-like slugs, so they are safe in paths, URLs, logs and host names.</summary>
public static partial class TenantIds
{
    public const string Rule = "1-63 lowercase letters, digits or '-', starting and ending with a letter or digit";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>
    /// Ids no new tenant may take: the admin key's label in metrics and logs, and words a dashboard or an operator
    /// would read as "no tenant". Tenants that already have one keep working.
    /// </summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
        { Observability.TenantLabels.Admin, "anonymous", "none", "unknown" };

    public static bool IsReserved(string id) => Reserved.Contains(id);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex Pattern();
}
