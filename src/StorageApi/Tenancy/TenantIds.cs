using System.Text.RegularExpressions;

namespace StorageApi.Tenancy;

/// <summary>Tenant ids are DNS-label-like slugs, so they are safe in paths, URLs, logs and host names.</summary>
public static partial class TenantIds
{
    public const string Rule = "1-63 lowercase letters, digits or '-', starting and ending with a letter or digit";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex Pattern();
}
