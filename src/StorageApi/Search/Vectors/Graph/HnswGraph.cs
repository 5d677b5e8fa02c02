using static StorageApi.Search.Vectors.Graph.UsearchNative;

namespace StorageApi.Search.Vectors.Graph;

/// <summary>
/// One USearch HNSW graph over unit vectors with the cosine metric, its vectors quantized to int8 (a quarter of float32's
/// memory; the caller rescores the final candidates with the exact vectors). Keys are 64-bit numbers.
/// <para>
/// USearch keeps one search context per thread slot and does not check that a slot is free: more concurrent calls than
/// slots would share one. Every call here therefore takes a slot from <see cref="_slots"/> first. Growing the graph
/// (reserve) must not overlap anything else, so it takes <see cref="_resize"/> alone while every other call shares it.
/// </para>
/// </summary>
public sealed unsafe class HnswGraph : IDisposable
{
    /// <summary>
    /// Neighbours per node: recall and memory grow with it. 32 instead of USearch's 16: at a million objects of 384
    /// dimensions, recall@10 0.96 instead of 0.87 for 270 more bytes per object (bench/search).
    /// </summary>
    public const int Connectivity = 32;
    /// <summary>
    /// Candidates kept while inserting: a better graph for slower inserts. 64 instead of USearch's 128 builds twice as
    /// fast for recall@10 0.993 instead of 0.996 (100,000 x 384, connectivity 16, bench/search); 32 fell to 0.86.
    /// </summary>
    public const int ExpansionAdd = 64;
    /// <summary>
    /// Candidates kept while searching, at least; a search for more results keeps as many as it asks for. At a million
    /// objects of 384 dimensions (bench/search), recall@10 was 0.90 at 128, 0.95 to 0.96 at 256 and 0.96 to 0.97 at 512
    /// (p99 5 to 8 ms); 384 leaves room above the 0.95 goal.
    /// </summary>
    public const int ExpansionSearch = 384;

    private static readonly int SlotCount = Math.Max(2, Environment.ProcessorCount);

    private readonly SemaphoreSlim _slots = new(SlotCount, SlotCount);
    private readonly ReaderWriterLockSlim _resize = new();
    private nint _handle;

    private HnswGraph(nint handle, int dimensions)
    {
        _handle = handle;
        Dimensions = dimensions;
        ChangeThreadsAdd(handle, (nuint)SlotCount, out var error);
        Check(error, "reserve thread contexts");
        ChangeThreadsSearch(handle, (nuint)SlotCount, out error);
        Check(error, "reserve thread contexts");
        ChangeExpansionSearch(handle, ExpansionSearch, out error);
        Check(error, "set the search expansion");
    }

    public int Dimensions { get; }

    /// <summary>Candidates kept while searching (at least as many as asked for); for tuning (bench/search).</summary>
    public int SearchExpansion
    {
        set => Shared(h => { ChangeExpansionSearch(h, (nuint)value, out var e); Check(e, "set the search expansion"); return 0u; });
    }

    /// <summary>An empty graph for vectors of <paramref name="dimensions"/>; the other parameters are for tuning (bench/search).</summary>
    public static HnswGraph Create(int dimensions, int connectivity = Connectivity, int expansionAdd = ExpansionAdd)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var options = new InitOptions
        {
            MetricKind = Metric.Cosine, Quantization = Scalar.Int8, Dimensions = (nuint)dimensions,
            Connectivity = (nuint)connectivity, ExpansionAdd = (nuint)expansionAdd, ExpansionSearch = ExpansionSearch,
        };
        var handle = Init(&options, out var error);
        if (error != 0 && handle != 0) Free(handle, out _);
        Check(error, "create a graph index");
        return new HnswGraph(handle, dimensions);
    }

    /// <summary>Reads a graph saved by <see cref="Save"/> into memory; throws when the file is damaged or of other dimensions.</summary>
    public static HnswGraph Load(string path, int dimensions)
    {
        var handle = Init(null, out var error);
        Check(error, "create a graph index");
        try
        {
            UsearchNative.Load(handle, path, out error);
            Check(error, $"load {path}");
            var stored = (int)UsearchNative.Dimensions(handle, out error);
            Check(error, $"read {path}");
            if (stored != dimensions) throw new GraphIndexException($"{path} holds vectors of {stored} dimensions, not {dimensions}");
            return new HnswGraph(handle, dimensions);
        }
        catch
        {
            Free(handle, out _);
            throw;
        }
    }

    /// <summary>The SIMD kernels the library picked for this graph's metric on this CPU ("serial" when none).</summary>
    public string Acceleration => System.Runtime.InteropServices.Marshal.PtrToStringUTF8(Shared(h => { var p = HardwareAcceleration(h, out var e); Check(e, "read the acceleration"); return p; })) ?? "unknown";

    public int Count => (int)Shared(h => { var n = Size(h, out var e); Check(e, "count"); return n; });

    /// <summary>Bytes the library holds for the graph and its quantized vectors.</summary>
    public long MemoryBytes => (long)Shared(h => { var n = MemoryUsage(h, out var e); Check(e, "measure"); return n; });

    /// <summary>Adds or replaces the vector under <paramref name="key"/>.</summary>
    public void Upsert(ulong key, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions) throw new ArgumentException($"expected {Dimensions} dimensions, got {vector.Length}", nameof(vector));
        fixed (float* values = vector)
        {
            var pointer = values;
            // Room is checked while holding a slot, for every slot: the other adds in flight hold the rest, so this one
            // fits whatever they do; when it does not, the graph grows (alone) and the add tries again.
            while (Shared(h =>
                   {
                       if (Size(h, out _) + (nuint)SlotCount > UsearchNative.Capacity(h, out _)) return 0u;
                       if (UsearchNative.Contains(h, key, out var e)) { Check(e, "look up"); UsearchNative.Remove(h, key, out e); }
                       Check(e, "replace a vector");
                       Add(h, key, pointer, Scalar.Float32, out e);
                       Check(e, "add a vector");
                       return 1u;
                   }) == 0)
                Grow();
        }
    }

    public bool Remove(ulong key) => Shared(h =>
    {
        var removed = UsearchNative.Remove(h, key, out var e);
        Check(e, "remove a vector");
        return (nuint)(removed > 0 ? 1 : 0);
    }) == 1;

    public bool Contains(ulong key) => Shared(h => { var found = UsearchNative.Contains(h, key, out var e); Check(e, "look up"); return (nuint)(found ? 1 : 0); }) == 1;

    /// <summary>
    /// Up to <paramref name="count"/> keys nearest to <paramref name="query"/> (a unit vector), nearest first, with their
    /// approximate cosine similarity, among the keys <paramref name="include"/> accepts (asked during the walk, so a
    /// narrow filter still fills the list when enough keys pass it).
    /// </summary>
    public int Search(ReadOnlySpan<float> query, Span<ulong> keys, Span<float> similarities, Func<ulong, bool>? include = null)
    {
        if (query.Length != Dimensions) throw new ArgumentException($"expected {Dimensions} dimensions, got {query.Length}", nameof(query));
        var count = Math.Min(keys.Length, similarities.Length);
        if (count == 0) return 0;
        nuint found;
        fixed (float* q = query)
        fixed (ulong* k = keys)
        fixed (float* d = similarities)
        {
            float* qp = q, dp = d;
            ulong* kp = k;
            if (include is null)
                found = Shared(h => { var n = UsearchNative.Search(h, qp, Scalar.Float32, (nuint)count, kp, dp, out var e); Check(e, "search"); return n; });
            else
            {
                var state = System.Runtime.InteropServices.GCHandle.Alloc(include);
                try
                {
                    found = Shared(h =>
                    {
                        var n = FilteredSearch(h, qp, Scalar.Float32, (nuint)count, &Accepts, System.Runtime.InteropServices.GCHandle.ToIntPtr(state), kp, dp, out var e);
                        Check(e, "search");
                        return n;
                    });
                }
                finally
                {
                    state.Free();
                }
            }
        }
        for (var i = 0; i < (int)found; i++) similarities[i] = 1 - similarities[i]; // the library returns cosine distance
        return (int)found;
    }

    /// <summary>Writes the graph to <paramref name="path"/> (readers may go on; the caller keeps writers out).</summary>
    public void Save(string path) =>
        Shared(h => { UsearchNative.Save(h, path, out var e); Check(e, $"save {path}"); return 0u; });

    public void Dispose()
    {
        _resize.EnterWriteLock();
        try
        {
            if (_handle != 0) Free(_handle, out _);
            _handle = 0;
        }
        finally
        {
            _resize.ExitWriteLock();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>A graph dropped without <see cref="Dispose"/> still gives its native memory back, later.</summary>
    ~HnswGraph()
    {
        if (_handle != 0) Free(_handle, out _);
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static int Accepts(ulong key, nint state)
    {
        try
        {
            var include = (Func<ulong, bool>)System.Runtime.InteropServices.GCHandle.FromIntPtr(state).Target!;
            return include(key) ? 1 : 0;
        }
        catch
        {
            return 0; // an exception must not unwind through native frames
        }
    }

    /// <summary>Doubles the graph's capacity, alone, unless another thread already made room.</summary>
    private void Grow()
    {
        _resize.EnterWriteLock();
        try
        {
            ThrowIfDisposed();
            var capacity = UsearchNative.Capacity(_handle, out var error);
            Check(error, "read the capacity");
            if (Size(_handle, out _) + (nuint)SlotCount <= capacity) return;
            Reserve(_handle, Math.Max(capacity * 2, 1024), out error);
            Check(error, "grow the graph");
        }
        finally
        {
            _resize.ExitWriteLock();
        }
    }

    private delegate T NativeCall<T>(nint handle);

    /// <summary>Runs one library call with a thread slot, alongside other calls but never during a resize.</summary>
    private T Shared<T>(NativeCall<T> call)
    {
        _resize.EnterReadLock();
        try
        {
            ThrowIfDisposed();
            _slots.Wait();
            try { return call(_handle); } finally { _slots.Release(); }
        }
        finally
        {
            _resize.ExitReadLock();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_handle == 0, this);
}
