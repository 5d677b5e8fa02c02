using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>Free disk on a host, measured where the tenant's folder is (or would be).</summary>
public static class DiskCommands
{
    /// <summary>
    /// Fails with the numbers unless the filesystem of the tenant root (or its nearest existing parent on a first deploy)
    /// has room for the artifact, its unpacked release (nothing when that release is already there), a copy of the
    /// database, the embedding model's upload and unpacked folder (nothing when the host keeps it; checked apart when
    /// the host's models folder is on another filesystem) and the margin, all in MiB. Sizes round up, free space down.
    /// </summary>
    public static string RequireFree(TenantPaths paths, string hostName, string version, DiskNeed need) => $$"""
        dir={{Shell.Quote(paths.Root)}}
        while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
        unpacked={{need.UnpackedMegabytes}}
        if [ -d {{Shell.Quote(paths.Release(version))}} ]; then unpacked=0; fi
        copy=0
        if [ -f {{Shell.Quote(paths.Database)}} ]; then copy=$(du -k {{Shell.Quote(paths.Database)}} | awk '{ print int(($1 + 1023) / 1024) }'); fi
        read -r free mount <<< "$(df -Pk "$dir" | awk 'NR == 2 { print int($4 / 1024), $6 }')"
        if [ -z "$free" ]; then echo "could not read the free disk of $dir" >&2; exit 1; fi
        {{ModelCheck(paths, hostName, need)}}
        need=$(( {{need.ArtifactMegabytes}} + unpacked + model + copy + {{need.MarginMegabytes}} ))
        if [ "$free" -lt "$need" ]; then
          printf 'not enough disk on %s for %s: needs %s MiB (artifact %s + unpacked %s + {{(need.ModelFolder is null ? "" : "model %s + ")}}database copy %s + %s %s), %s MiB free on %s\n' \
            {{Shell.Quote(hostName)}} {{Shell.Quote(version)}} "$need" {{need.ArtifactMegabytes}} "$unpacked" {{(need.ModelFolder is null ? "" : "\"$model\" ")}}"$copy" {{Shell.Quote(need.MarginName)}} {{need.MarginMegabytes}} "$free" "$mount" >&2
          exit 1
        fi
        echo "$free MiB free on $mount, $need MiB needed"
        """;

    /// <summary>
    /// Sets <c>model</c> to what the model still needs beside the tenant's release: nothing when the host keeps it, nothing
    /// when the host's models folder is on another filesystem (checked there, alone), else its upload and unpacked folder.
    /// </summary>
    private static string ModelCheck(TenantPaths paths, string hostName, DiskNeed need) => need.ModelFolder is not { } folder ? "model=0" : $$"""
        model={{need.ModelMegabytes}}
        if [ -d {{Shell.Quote(folder)}} ]; then model=0; fi
        mdir={{Shell.Quote(paths.Models)}}
        while [ ! -d "$mdir" ]; do mdir=$(dirname "$mdir"); done
        read -r mfree mmount <<< "$(df -Pk "$mdir" | awk 'NR == 2 { print int($4 / 1024), $6 }')"
        if [ "$mmount" != "$mount" ]; then
          if [ "${mfree:-0}" -lt "$model" ]; then
            printf 'not enough disk on %s for the model: needs %s MiB (its upload and its folder), %s MiB free on %s\n' {{Shell.Quote(hostName)}} "$model" "${mfree:-0}" "$mmount" >&2
            exit 1
          fi
          model=0
        fi
        """;
}

/// <summary>
/// What a deploy needs on disk, in MiB; the margin is named as the tenant sets it (MIN_FREE_DISK_MB). The model counts
/// (its upload and its unpacked folder) unless <see cref="ModelFolder"/> is already on the host.
/// </summary>
public sealed record DiskNeed(long ArtifactMegabytes, long UnpackedMegabytes, string MarginName, long MarginMegabytes, long ModelMegabytes = 0, string? ModelFolder = null);
