using Storagectl.Planning;
using Storagectl.Processes;

namespace Storagectl.Releases;

/// <summary>
/// Packs the model folder a publish wrote (&lt;models&gt;/&lt;name&gt;/…) into &lt;name&gt;-&lt;sha12&gt;.tar beside the artifact.
/// The tar is byte-for-byte the same for the same files (sorted names, no owners, no times), so every build of one
/// model has one sha256 and a host that has it already is not sent it again.
/// </summary>
public static class ModelBundles
{
    public static async Task<ModelBundle?> PackAsync(string models, string outputDirectory, string repository, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(models)) return null;
        var folder = Directory.GetDirectories(models) switch
        {
            [] => null,
            [var one] => one,
            var many => throw new ReleaseException($"the publish wrote {many.Length} embedding models; one is expected"),
        };
        if (folder is null) return null;
        var name = Path.GetFileName(folder);
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        await File.WriteAllLinesAsync(Path.Combine(folder, ModelBundle.SumsFile),
            files.Select(f => $"{FileHash.Sha256(Path.Combine(folder, f!))}  {f}"), cancellationToken);
        var packing = Path.GetFullPath(Path.Combine(outputDirectory, $".{name}.tar.partial"));
        await ProcessRunner.RequireAsync("tar",
            ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "--mode=a+rX,u+w,go-w", "--format=gnu",
             "-cf", packing, "-C", folder, "."], repository, cancellationToken);
        var sha256 = FileHash.Sha256(packing);
        var bundle = new ModelBundle(name, Path.GetFullPath(Path.Combine(outputDirectory, $"{name}-{Artifact.ShortHash(sha256)}.tar")), sha256, new FileInfo(packing).Length);
        File.Move(packing, bundle.File, overwrite: true);
        return bundle;
    }
}
