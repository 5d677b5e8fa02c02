namespace Storagectl.Configuration;

/// <summary>
/// A tenant to write into deploy/storagectl.yml, in the order its variables are to appear (the file is read by people).
/// </summary>
/// <param name="SlotPorts">Empty for hosts without a proxy (no slots).</param>
/// <param name="Secrets">Service variable -> name of the variable holding its value, as under <c>secrets:</c>.</param>
public sealed record NewTenant(
    string Name, IReadOnlyList<string> Hosts, int Port, IReadOnlyList<int> SlotPorts,
    IReadOnlyList<KeyValuePair<string, string>> Env, IReadOnlyList<KeyValuePair<string, string>> Secrets, string? PublicUrl = null);
