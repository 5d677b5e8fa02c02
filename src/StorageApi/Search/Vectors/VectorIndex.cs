using System.Numerics.Tensors;

namespace StorageApi.Search.Vectors;

public readonly record struct VectorHit(string ObjectId, float Similarity);

/// <summary>
/// Exact nearest-neighbour search over one set of unit vectors held in memory: every query computes the dot product
/// with every vector (SIMD through TensorPrimitives.Dot) and keeps the best. Vectors live in fixed-size segments, so the
/// index grows without copying everything and large scans split across cores. Readers share a lock; writers take it alone.
/// </summary>
public sealed class VectorIndex : ITenantVectorIndex
{
    private const int SegmentRows = 1024;
    /// <summary>Below this many rows one core scans faster than several can be started.</summary>
    private const int ParallelRows = 16 * SegmentRows;

    private readonly List<float[]> _segments = [];
    private readonly List<string> _ids = [];
    private readonly Dictionary<string, int> _rows = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _lock = new();

    public VectorIndex(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
    }

    public int Dimensions { get; }

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _ids.Count; } finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Bytes held for vectors (whole segments, as allocated).</summary>
    public long MemoryBytes
    {
        get
        {
            _lock.EnterReadLock();
            try { return (long)_segments.Count * SegmentRows * Dimensions * sizeof(float); } finally { _lock.ExitReadLock(); }
        }
    }

    public void Upsert(string objectId, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions) throw new ArgumentException($"expected {Dimensions} dimensions, got {vector.Length}", nameof(vector));
        _lock.EnterWriteLock();
        try
        {
            if (!_rows.TryGetValue(objectId, out var row))
            {
                row = _ids.Count;
                if (row == _segments.Count * SegmentRows) _segments.Add(new float[SegmentRows * Dimensions]);
                _ids.Add(objectId);
                _rows[objectId] = row;
            }
            vector.CopyTo(RowSpan(row));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a vector by moving the last one into its place.</summary>
    public bool Remove(string objectId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_rows.Remove(objectId, out var row)) return false;
            var last = _ids.Count - 1;
            if (row != last)
            {
                RowSpan(last).CopyTo(RowSpan(row));
                _ids[row] = _ids[last];
                _rows[_ids[row]] = row;
            }
            _ids.RemoveAt(last);
            if (_ids.Count <= (_segments.Count - 1) * SegmentRows) _segments.RemoveAt(_segments.Count - 1);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public float[]? Find(string objectId)
    {
        _lock.EnterReadLock();
        try { return _rows.TryGetValue(objectId, out var row) ? RowSpan(row).ToArray() : null; } finally { _lock.ExitReadLock(); }
    }

    /// <summary>Calls <paramref name="visit"/> with the object id and vector of the rows from <paramref name="from"/> on, while writers wait.</summary>
    public void ForEach(Action<string, ReadOnlySpan<float>> visit, int from = 0, int count = int.MaxValue)
    {
        _lock.EnterReadLock();
        try
        {
            for (var row = from; row < _ids.Count && row - from < count; row++) visit(_ids[row], RowSpan(row));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The <paramref name="limit"/> vectors most similar to <paramref name="query"/> (a unit vector), best first, among those
    /// <paramref name="include"/> accepts and at least <paramref name="minimumSimilarity"/> similar.
    /// </summary>
    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int limit, float minimumSimilarity = float.NegativeInfinity, Func<string, bool>? include = null)
    {
        if (query.Length != Dimensions) throw new ArgumentException($"expected {Dimensions} dimensions, got {query.Length}", nameof(query));
        if (limit < 1) return [];
        var q = query.ToArray();
        _lock.EnterReadLock();
        try
        {
            var count = _ids.Count;
            var parts = count >= ParallelRows ? Math.Min(Environment.ProcessorCount, _segments.Count) : 1;
            var best = new TopHits[parts];
            if (parts == 1) best[0] = Scan(q, 0, count, limit, minimumSimilarity, include);
            else
            {
                var rowsPerPart = (_segments.Count + parts - 1) / parts * SegmentRows;
                Parallel.For(0, parts, part =>
                    best[part] = Scan(q, part * rowsPerPart, Math.Min(count, (part + 1) * rowsPerPart), limit, minimumSimilarity, include));
            }
            var merged = best[0];
            for (var part = 1; part < parts; part++) merged.Merge(best[part]);
            return merged.InOrder(_ids);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private TopHits Scan(float[] query, int from, int to, int limit, float minimumSimilarity, Func<string, bool>? include)
    {
        var top = new TopHits(limit);
        for (var row = from; row < to; row++)
        {
            var similarity = TensorPrimitives.Dot(query, RowSpan(row));
            // The filter is asked only about rows good enough to enter the top: a few per scan instead of every row.
            if (similarity < minimumSimilarity || !top.Accepts(similarity)) continue;
            if (include is null || include(_ids[row])) top.Offer(row, similarity);
        }
        return top;
    }

    private Span<float> RowSpan(int row) => _segments[row / SegmentRows].AsSpan(row % SegmentRows * Dimensions, Dimensions);

    /// <summary>The best rows seen so far: a min-heap on similarity, so the worst of the best is dropped first.</summary>
    private sealed class TopHits(int limit)
    {
        private readonly PriorityQueue<int, float> _heap = new(limit + 1);
        private float _worst = float.NegativeInfinity; // of the kept rows, once there are limit of them

        public bool Accepts(float similarity) => _heap.Count < limit || similarity > _worst;

        public void Offer(int row, float similarity)
        {
            if (!Accepts(similarity)) return;
            if (_heap.Count < limit) _heap.Enqueue(row, similarity);
            else _heap.EnqueueDequeue(row, similarity);
            if (_heap.Count == limit) _heap.TryPeek(out _, out _worst);
        }

        public void Merge(TopHits other)
        {
            foreach (var (row, similarity) in other._heap.UnorderedItems) Offer(row, similarity);
        }

        public IReadOnlyList<VectorHit> InOrder(List<string> ids) =>
            [.. _heap.UnorderedItems.OrderByDescending(h => h.Priority).ThenBy(h => ids[h.Element], StringComparer.Ordinal)
                .Select(h => new VectorHit(ids[h.Element], h.Priority))];
    }
}
