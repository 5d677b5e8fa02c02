using System.Formats.Tar;
using System.IO.Compression;

namespace Storagectl.Planning;

/// <summary>How much disk an artifact takes once unpacked on a host, read from the .tar.gz itself without writing anything.</summary>
public static class ArtifactSize
{
    /// <summary>Filesystems hand out whole blocks, so each entry (folders too) takes at least one: the sum of file sizes alone underestimates.</summary>
    public const long Block = 4096;

    public static long UnpackedBytes(string artifactFile)
    {
        using var file = File.OpenRead(artifactFile);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        long total = 0;
        while (tar.GetNextEntry() is { } entry)
            total += Math.Max(1, (entry.Length + Block - 1) / Block) * Block;
        return total;
    }
}
