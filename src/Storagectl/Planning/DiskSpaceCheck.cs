using StorageApi.Configuration;
using Storagectl.Configuration;
using Storagectl.HostCommands;

namespace Storagectl.Planning;

/// <summary>
/// The step before an upload: the host must have room for the artifact, its unpacked release, the copy of the
/// database the deploy takes before migrating, and the running release's own MIN_FREE_DISK_MB at once. The data usually shares that filesystem, and below that margin the
/// running release reports not ready, so filling the disk with a new release would take the live one down.
/// </summary>
public static class DiskSpaceCheck
{
    public const string MinFreeVariable = KnownVariables.MinFreeDiskMegabytes;

    /// <summary>The service's own default (StorageApi's ConfigurationReader) when the tenant's env does not set it.</summary>
    public const long DefaultMinFreeMegabytes = 512;

    private const long MiB = 1024 * 1024;

    public static long MinFreeMegabytes(TenantConfig tenant) =>
        tenant.Env.TryGetValue(MinFreeVariable, out var value) && long.TryParse(value, out var megabytes) && megabytes >= 0
            ? megabytes : DefaultMinFreeMegabytes;

    /// <summary>
    /// Measures the tenant root, or its nearest existing parent on a first deploy. A release folder that already exists
    /// (a redeploy) is not unpacked again, so then the unpacked size counts as nothing. Sizes round up, free space down.
    /// An artifact without sizes (one not loaded from a file) is checked for the margin alone.
    /// </summary>
    public static RunStep Step(HostConfig host, TenantConfig tenant, TenantPaths paths, Artifact artifact) =>
        new($"check the free disk for {artifact.Version}", DiskCommands.RequireFree(paths, host.Name, artifact.Version,
            new DiskNeed(Megabytes(artifact.Bytes ?? 0), Megabytes(artifact.UnpackedBytes ?? 0), MinFreeVariable, MinFreeMegabytes(tenant),
                // The bundle is an uncompressed tar: its upload and its unpacked folder are each about its size.
                2 * Megabytes(artifact.Model?.Bytes ?? 0), artifact.Model is { } model ? paths.Model(model) : null)));

    private static long Megabytes(long bytes) => (bytes + MiB - 1) / MiB;
}
