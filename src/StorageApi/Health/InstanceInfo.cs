using System.Security.Cryptography;
using StorageApi.Configuration;

namespace StorageApi.Health;

/// <summary>Which process this is and since when: lets an operator tell two instances, or a restart, apart.</summary>
public sealed class InstanceInfo(StorageSettings settings, TimeProvider clock)
{
    public string Id { get; } = $"{System.Environment.MachineName}-{System.Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
    public DateTime StartedAt { get; } = clock.GetUtcNow().UtcDateTime;
    public string Environment => settings.Environment;
    public string? Tenant => settings.TenantId;
    public double UptimeSeconds => Math.Round((clock.GetUtcNow().UtcDateTime - StartedAt).TotalSeconds, 1);
}
