namespace StorageApi.Search.Vectors.Graph;

/// <summary>An object in the graph: its id and the fingerprint of the stored vector the graph holds for it.</summary>
public readonly record struct GraphEntry(string ObjectId, ulong VectorHash);

/// <summary>
/// A tenant's approximate index: an HNSW graph of int8 vectors keyed by a hash of the object id, and the entries that
/// turn keys back into ids. It finds candidates only; their exact float32 vectors come from the database
/// (<see cref="ExactRescoring"/>), so memory holds 0.5 to 0.8 times their float32 size (bench/search), not all of it.
/// </summary>
public sealed class GraphVectorIndex(HnswGraph graph, ILogger logger) : ITenantVectorIndex, IDisposable
{
    private readonly Dictionary<ulong, GraphEntry> _entries = [];
    private readonly Lock _sync = new();
    private long _entryBytes;

    /// <summary>A graph read from a file, with the entries saved beside it.</summary>
    public GraphVectorIndex(HnswGraph graph, IEnumerable<GraphEntry> entries, ILogger logger) : this(graph, logger)
    {
        foreach (var entry in entries) Track(GraphKeys.Of(entry.ObjectId), entry);
    }

    public int Dimensions => graph.Dimensions;

    public int Count { get { lock (_sync) return _entries.Count; } }

    /// <summary>The graph and its quantized vectors as the library counts them, and the entries (ids) on the managed heap.</summary>
    public long MemoryBytes
    {
        get
        {
            lock (_sync) return graph.MemoryBytes + _entryBytes;
        }
    }

    /// <summary>The graph holds the same number of vectors as there are entries (checked after a load).</summary>
    public bool IsConsistent => graph.Count == Count;

    public void Upsert(string objectId, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions) throw new ArgumentException($"expected {Dimensions} dimensions, got {vector.Length}", nameof(vector));
        var key = GraphKeys.Of(objectId);
        lock (_sync)
        {
            if (_entries.TryGetValue(key, out var existing) && existing.ObjectId != objectId)
            {
                // 2^-64 per pair; left out of the graph (still found by keywords) rather than answered as the other object
                logger.LogWarning("Objects {First} and {Second} share graph key {Key}; the second is left out of vector search", existing.ObjectId, objectId, key);
                return;
            }
        }
        // An entry never claims a vector the graph failed to take, so that a repair finds it missing.
        try
        {
            graph.Upsert(key, vector);
        }
        catch
        {
            lock (_sync) Untrack(key, objectId);
            throw;
        }
        lock (_sync) Track(key, new GraphEntry(objectId, GraphKeys.OfVector(vector)));
    }

    public bool Remove(string objectId)
    {
        var key = GraphKeys.Of(objectId);
        lock (_sync)
        {
            if (!Untrack(key, objectId)) return false;
        }
        return graph.Remove(key);
    }

    /// <summary>The fingerprint of the vector the graph holds for <paramref name="objectId"/>, or null.</summary>
    public ulong? VectorHashOf(string objectId)
    {
        lock (_sync) return _entries.TryGetValue(GraphKeys.Of(objectId), out var entry) && entry.ObjectId == objectId ? entry.VectorHash : null;
    }

    /// <summary>Removes every object but <paramref name="kept"/> (the end of a catch-up or repair); returns how many went.</summary>
    public int RemoveAllBut(IReadOnlySet<string> kept)
    {
        List<string> gone;
        lock (_sync) gone = [.. _entries.Values.Select(e => e.ObjectId).Where(id => !kept.Contains(id))];
        return gone.Count(Remove);
    }

    /// <summary>
    /// Up to <paramref name="count"/> object ids near <paramref name="query"/>, nearest first by the graph's approximate
    /// similarity, among those <paramref name="include"/> accepts.
    /// </summary>
    public IReadOnlyList<string> Candidates(ReadOnlySpan<float> query, int count, Func<string, bool>? include = null)
    {
        if (count < 1) return [];
        var keys = new ulong[count];
        var similarities = new float[count];
        Func<ulong, bool>? keyFilter = include is null ? null : key => IdOf(key) is { } id && include(id);
        var found = graph.Search(query, keys, similarities, keyFilter);
        var ids = new List<string>(found);
        for (var i = 0; i < found; i++)
            if (IdOf(keys[i]) is { } id) ids.Add(id);
        return ids;
    }

    /// <summary>Saves the graph and returns the entries that belong to what was saved; the caller keeps changes out meanwhile.</summary>
    public IReadOnlyList<GraphEntry> Save(string graphPath)
    {
        graph.Save(graphPath);
        lock (_sync) return [.. _entries.Values];
    }

    public void Dispose() => graph.Dispose();

    private void Track(ulong key, GraphEntry entry)
    {
        if (!_entries.ContainsKey(key)) _entryBytes += EntryBytes(entry.ObjectId);
        _entries[key] = entry;
    }

    private bool Untrack(ulong key, string objectId)
    {
        if (!_entries.TryGetValue(key, out var existing) || existing.ObjectId != objectId) return false;
        _entries.Remove(key);
        _entryBytes -= EntryBytes(objectId);
        return true;
    }

    /// <summary>A dictionary slot (key, entry, link and bucket) and the id string's object.</summary>
    private static long EntryBytes(string objectId) => 40 + (24 + 2L * objectId.Length + 7) / 8 * 8;

    private string? IdOf(ulong key)
    {
        lock (_sync) return _entries.TryGetValue(key, out var entry) ? entry.ObjectId : null;
    }
}
