using System.Formats.Tar;
using System.IO.Compression;
using Storagectl.Planning;

namespace Storagectl.Tests.Planning;

/// <summary>The disk check needs the artifact's sizes; manifests written before they were recorded still give them.</summary>
public sealed class ArtifactSizeTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("artifact-size-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string TarGz(params (string Name, int Bytes)[] entries)
    {
        var file = Path.Combine(_folder.FullName, "storage-api-2.0.0.tar.gz");
        using var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip);
        foreach (var (name, bytes) in entries)
            tar.WriteEntry(name.EndsWith('/')
                ? new PaxTarEntry(TarEntryType.Directory, name)
                : new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(new byte[bytes]) });
        return file;
    }

    [Fact]
    public void Each_entry_takes_whole_blocks_so_the_unpacked_size_is_what_the_disk_loses()
    {
        var file = TarGz(("bin/", 0), ("bin/storage-api", 5000), ("empty", 0));

        ArtifactSize.UnpackedBytes(file).ShouldBe(4096 + 8192 + 4096);
    }

    [Fact]
    public void An_older_manifest_without_sizes_loads_with_the_sizes_read_from_the_file()
    {
        var file = TarGz(("storage-api", 10_000));
        File.WriteAllText(Artifact.ManifestPathFor(file), $$"""
            { "service": "storage-api", "version": "2.0.0", "commit": "abc", "builtAt": "2026-01-01T00:00:00Z", "file": "storage-api-2.0.0.tar.gz", "sha256": "{{FileHash.Sha256(file)}}" }
            """);

        var artifact = Artifact.Load(file);

        artifact.Bytes.ShouldBe(new FileInfo(file).Length);
        artifact.UnpackedBytes.ShouldBe(12288);
    }
}
