using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using StorageApi.Configuration;
using StorageApi.ObjectStores;
using StorageApi.Search.Embeddings;

namespace StorageApi.Search.Vectors.Graph;

/// <summary>A graph read back from disk, and the revision of the set it reflects.</summary>
public sealed record SavedGraph(GraphVectorIndex Index, long Revision);

/// <summary>
/// A tenant's saved graph, beside the database: <c>STORAGE_DATA_DIR/vector-indexes/&lt;tenant&gt;/</c>, named by the vector set
/// and the embedder that made it (<c>set-&lt;id&gt;-&lt;hash of embedder and dimensions&gt;</c>), so a graph of other vectors
/// is never read. Two files: the graph (<c>.&lt;generation&gt;.usearch</c>, as USearch writes it) and a manifest (<c>.keys</c>)
/// with the set's revision, the graph's file name and checksum, and every object id with the fingerprint of its vector,
/// itself checksummed.
/// The manifest is renamed into place after the graph is on disk, so a reader sees an old pair or a new pair, never half
/// of one; two instances on one database may save in turn, and the last manifest wins. The files are only a cache of
/// the database: anything missing, damaged or of another embedder is ignored and the graph is built again.
/// </summary>
public sealed class GraphIndexFiles(StorageSettings settings, ILogger<GraphIndexFiles> logger)
{
    private const string Magic = "storage-api vector graph";
    private const int FormatVersion = 1;
    /// <summary>Graph files not named by the manifest are removed once this old (another instance may be saving one now).</summary>
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromMinutes(2);

    public string DirectoryOf(string tenantId) => Path.Combine(settings.VectorIndexDirectory, tenantId);

    /// <summary>Saves <paramref name="graph"/> as the set's graph at <paramref name="revision"/>; the caller keeps changes out meanwhile.</summary>
    public void Save(string tenantId, long setId, EmbedderIdentity embedder, GraphVectorIndex graph, long revision)
    {
        var directory = DirectoryOf(tenantId);
        Directory.CreateDirectory(directory);
        var name = BaseName(setId, embedder, graph.Dimensions);
        var generation = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var graphFile = $"{name}.{generation}.usearch";
        var graphPath = Path.Combine(directory, graphFile);
        var entries = graph.Save(graphPath);
        ulong graphHash;
        using (var written = new FileStream(graphPath, FileMode.Open, FileAccess.ReadWrite))
        {
            written.Flush(flushToDisk: true);
            graphHash = HashOf(written);
        }

        var manifest = Path.Combine(directory, name + ".keys");
        var partial = $"{manifest}.{generation}.partial";
        using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
        {
            WriteManifest(stream, setId, embedder, graph.Dimensions, revision, graphFile, graphHash, entries);
            stream.Flush(flushToDisk: true);
        }
        File.Move(partial, manifest, overwrite: true);
        DiskSync.FlushDirectory(directory);
        RemoveLeftovers(directory, name, graphFile);
        logger.LogInformation("Saved the vector graph of tenant {TenantId} ({Count} objects, revision {Revision}) to {File}",
            tenantId, entries.Count, revision, graphPath);
    }

    /// <summary>The set's saved graph, or null (logged) when there is none that can be trusted.</summary>
    public SavedGraph? TryLoad(string tenantId, long setId, EmbedderIdentity embedder, int dimensions)
    {
        var directory = DirectoryOf(tenantId);
        var manifest = Path.Combine(directory, BaseName(setId, embedder, dimensions) + ".keys");
        if (!File.Exists(manifest)) return null;
        try
        {
            var (revision, graphFile, graphHash, entries) = ReadManifest(manifest, setId, embedder, dimensions);
            var graphPath = Path.Combine(directory, graphFile);
            // Checked before the library reads it: a damaged file must not reach native code that trusts its offsets.
            using (var stored = new FileStream(graphPath, FileMode.Open, FileAccess.Read))
                if (HashOf(stored) != graphHash) throw new InvalidDataException($"{graphFile} is not the file its manifest names (damaged or replaced)");
            var graph = new GraphVectorIndex(HnswGraph.Load(graphPath, dimensions), entries, logger);
            if (!graph.IsConsistent)
            {
                graph.Dispose();
                throw new InvalidDataException($"{graphFile} does not hold the {entries.Count} vectors its manifest lists");
            }
            RemoveLeftovers(directory, Path.GetFileNameWithoutExtension(manifest), graphFile);
            return new SavedGraph(graph, revision);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or GraphIndexException or UnauthorizedAccessException)
        {
            logger.LogWarning("Ignoring the saved vector graph of tenant {TenantId} ({Manifest}): {Reason}; it is built again", tenantId, manifest, e.Message);
            RemoveOthers(tenantId, null, null, null); // of no use to anyone: the next save starts clean
            return null;
        }
    }

    /// <summary>Removes the tenant's saved graphs of other sets or embedders than the one named (all when null).</summary>
    public void RemoveOthers(string tenantId, long? setId, EmbedderIdentity? embedder, int? dimensions)
    {
        var directory = DirectoryOf(tenantId);
        if (!Directory.Exists(directory)) return;
        var keep = setId is { } id && embedder is not null && dimensions is { } d ? BaseName(id, embedder, d) + "." : null;
        foreach (var file in Directory.EnumerateFiles(directory))
            if (keep is null || !Path.GetFileName(file).StartsWith(keep, StringComparison.Ordinal)) TryDelete(file);
    }

    private static string BaseName(long setId, EmbedderIdentity embedder, int dimensions)
    {
        var identity = Encoding.UTF8.GetBytes($"{embedder.Provider}\n{embedder.Endpoint}\n{embedder.Model}\n{dimensions}");
        return $"set-{setId}-{Convert.ToHexStringLower(SHA256.HashData(identity))[..12]}";
    }

    private static ulong HashOf(Stream stream)
    {
        stream.Position = 0;
        var hash = new XxHash3();
        hash.Append(stream);
        return hash.GetCurrentHashAsUInt64();
    }

    private static void WriteManifest(Stream stream, long setId, EmbedderIdentity embedder, int dimensions, long revision, string graphFile,
        ulong graphHash, IReadOnlyList<GraphEntry> entries)
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(setId);
            writer.Write(embedder.ToString());
            writer.Write(dimensions);
            writer.Write(revision);
            writer.Write(graphFile);
            writer.Write(graphHash);
            writer.Write(entries.Count);
            foreach (var entry in entries)
            {
                writer.Write(entry.ObjectId);
                writer.Write(entry.VectorHash);
            }
        }
        body.Write(BitConverter.GetBytes(XxHash3.HashToUInt64(body.GetBuffer().AsSpan(0, (int)body.Length))));
        body.Position = 0;
        body.CopyTo(stream);
    }

    private static (long Revision, string GraphFile, ulong GraphHash, List<GraphEntry> Entries) ReadManifest(string path, long setId, EmbedderIdentity embedder, int dimensions)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < sizeof(ulong)
            || XxHash3.HashToUInt64(bytes.AsSpan(0, bytes.Length - sizeof(ulong))) != BitConverter.ToUInt64(bytes, bytes.Length - sizeof(ulong)))
            throw new InvalidDataException("the manifest's checksum does not match (truncated or damaged)");
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - sizeof(ulong)), Encoding.UTF8);
        if (reader.ReadString() != Magic || reader.ReadInt32() != FormatVersion) throw new InvalidDataException("not a manifest of this format");
        if (reader.ReadInt64() != setId || reader.ReadString() != embedder.ToString() || reader.ReadInt32() != dimensions)
            throw new InvalidDataException("the manifest is of another vector set or embedder");
        var revision = reader.ReadInt64();
        var graphFile = reader.ReadString();
        if (graphFile != Path.GetFileName(graphFile)) throw new InvalidDataException("the manifest names a file outside its folder");
        var graphHash = reader.ReadUInt64();
        var count = reader.ReadInt32();
        var entries = new List<GraphEntry>(count);
        for (var i = 0; i < count; i++) entries.Add(new GraphEntry(reader.ReadString(), reader.ReadUInt64()));
        return (revision, graphFile, graphHash, entries);
    }

    private void RemoveLeftovers(string directory, string name, string current)
    {
        foreach (var file in Directory.EnumerateFiles(directory, name + ".*"))
        {
            var fileName = Path.GetFileName(file);
            if (fileName == current || fileName == name + ".keys") continue;
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > LeftoverAge) TryDelete(file);
        }
    }

    private void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException e)
        {
            logger.LogWarning("Could not remove {File}: {Reason}", file, e.Message);
        }
    }
}
