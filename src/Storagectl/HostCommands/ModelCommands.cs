using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>The host's copy of the embedding model (&lt;root&gt;/models/&lt;name&gt;-&lt;sha12&gt;) and a release's link to it.</summary>
public static class ModelCommands
{
    /// <summary>
    /// Unpacks the uploaded bundle into the host's model folder unless another deploy put it there first, checks every
    /// file against the bundle's SHA256SUMS (also when the folder was there already: a damaged copy stops the deploy
    /// before the new release starts on it), and links releases/&lt;version&gt;/models/&lt;name&gt; to it. The folder appears
    /// by one rename, so a tenant deploying beside this one never sees half of it.
    /// </summary>
    public static string PlaceAndLink(TenantPaths paths, string version, ModelBundle bundle, string upload)
    {
        var folder = Shell.Quote(paths.Model(bundle));
        var partial = Shell.Quote($"{paths.Models}/.{bundle.Folder}.{paths.Tenant}.partial");
        var tarball = Shell.Quote(upload);
        var link = Shell.Quote($"{paths.Release(version)}/{bundle.LinkInRelease}");
        return $$"""
            set -e
            if [ ! -d {{folder}} ]; then
              if [ ! -f {{tarball}} ]; then echo "{{bundle.Folder}} is neither on the host nor uploaded: plan the deploy again" >&2; exit 1; fi
              rm -rf {{partial}} && mkdir -p {{partial}}
              trap 'rm -rf {{partial}}' EXIT
              if ! errors=$(tar -xf {{tarball}} -C {{partial}} 2>&1); then printf 'unpacking the model failed: %s\n' "$(printf '%s\n' "$errors" | head -n 1)" >&2; exit 1; fi
              chmod -R a+rX,go-w {{partial}}
              mv -T {{partial}} {{folder}} 2>/dev/null || [ -d {{folder}} ]
              trap - EXIT
              rm -rf {{partial}}
            fi
            rm -f {{tarball}}
            if ! (cd {{folder}} && sha256sum -c --quiet {{ModelBundle.SumsFile}} >&2); then
              echo "the model in {{paths.Model(bundle)}} does not match its {{ModelBundle.SumsFile}}: remove the folder and deploy again" >&2; exit 1
            fi
            mkdir -p "$(dirname {{link}})"
            ln -sfn {{folder}} {{link}}
            """;
    }
}
