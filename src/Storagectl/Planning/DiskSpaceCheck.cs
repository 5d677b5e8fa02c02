using Storagectl.Configuration;

namespace Storagectl.Planning;

/// <summary>
/// The step before an upload: the host must have room for the artifact, its unpacked release, the copy of the
/// database the deploy takes before migrating, and the running release's own MIN_FREE_DISK_MB at once. The data usually shares that filesystem, and below that margin the
/// running release reports not ready, so filling the disk with a new release would take the live one down.
/// </summary>
public static class DiskSpaceCheck
{
    public const string MinFreeVariable = "MIN_FREE_DISK_MB";

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
    public static RunStep Step(HostConfig host, TenantConfig tenant, TenantPaths paths, Artifact artifact)
    {
        var artifactMegabytes = Megabytes(artifact.Bytes ?? 0);
        var unpackedMegabytes = Megabytes(artifact.UnpackedBytes ?? 0);
        var minFree = MinFreeMegabytes(tenant);
        return new RunStep($"check the free disk for {artifact.Version}", $$"""
            dir={{Shell.Quote(paths.Root)}}
            while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
            unpacked={{unpackedMegabytes}}
            if [ -d {{Shell.Quote(paths.Release(artifact.Version))}} ]; then unpacked=0; fi
            copy=0
            if [ -f {{Shell.Quote(paths.Database)}} ]; then copy=$(du -k {{Shell.Quote(paths.Database)}} | awk '{ print int(($1 + 1023) / 1024) }'); fi
            read -r free mount <<< "$(df -Pk "$dir" | awk 'NR == 2 { print int($4 / 1024), $6 }')"
            if [ -z "$free" ]; then echo "could not read the free disk of $dir" >&2; exit 1; fi
            need=$(( {{artifactMegabytes}} + unpacked + copy + {{minFree}} ))
            if [ "$free" -lt "$need" ]; then
              printf 'not enough disk on %s for %s: needs %s MiB (artifact %s + unpacked %s + database copy %s + %s %s), %s MiB free on %s\n' \
                {{Shell.Quote(host.Name)}} {{Shell.Quote(artifact.Version)}} "$need" {{artifactMegabytes}} "$unpacked" "$copy" {{MinFreeVariable}} {{minFree}} "$free" "$mount" >&2
              exit 1
            fi
            echo "$free MiB free on $mount, $need MiB needed"
            """);
    }

    private static long Megabytes(long bytes) => (bytes + MiB - 1) / MiB;
}
