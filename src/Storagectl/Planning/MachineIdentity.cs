namespace Storagectl.Planning;

/// <summary>
/// Which machine, boot and process namespace a storagectl process runs in: host names repeat (cloned VMs, containers
/// on the host's network), so a lock's holder counts as "on this machine" only when all three match.
/// </summary>
public static class MachineIdentity
{
    public static readonly string? Current = Read();

    /// <summary>True only when the process is known to be gone: same machine, boot and pid namespace, and no such pid.</summary>
    public static bool IsGone(string? machine, int? pid) =>
        Current is not null && machine == Current && pid is { } id && !Directory.Exists($"/proc/{id}");

    private static string? Read()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var machineId = File.ReadAllText("/etc/machine-id").Trim();
            var bootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget;
            return machineId.Length > 0 && bootId.Length > 0 && pidNamespace is not null ? $"{machineId}/{bootId}/{pidNamespace}" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
