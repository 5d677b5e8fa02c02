using StorageApi.Data;
using StorageApi.Search.Embeddings;

namespace StorageApi.Search.Vectors;

/// <summary>
/// A tenant's active vector set as held in memory, with the set revision it reflects. Its index is exact, or a graph
/// once the tenant is large; the exact one is replaced by a graph built in the background, without a change lost.
/// </summary>
public sealed class LoadedVectorSet(string tenantId, long setId, EmbedderIdentity embedder, ITenantVectorIndex index, long revision, DateTime now)
{
    private readonly Lock _sync = new();
    private ITenantVectorIndex _index = index;
    private long _revision = revision;
    private long _savedRevision = index is Graph.GraphVectorIndex ? revision : -1;
    private DateTime _lastChanged = now;
    private long _lastUsedTicks = now.Ticks;
    private bool _retired;

    public string TenantId { get; } = tenantId;
    public long SetId { get; } = setId;
    public EmbedderIdentity Embedder { get; } = embedder;
    public ITenantVectorIndex Index { get { lock (_sync) return _index; } }
    public long Revision { get { lock (_sync) return _revision; } }
    public DateTime LastUsed => new(Interlocked.Read(ref _lastUsedTicks), DateTimeKind.Utc);

    /// <summary>Current when it is the database's active set and has seen at least the database's revision of it.</summary>
    public bool IsCurrentFor(VectorSet active) => active.TenantId == TenantId && active.Id == SetId && Revision >= active.Revision;

    public void Touch(DateTime now) => Interlocked.Exchange(ref _lastUsedTicks, now.Ticks);

    /// <summary>
    /// Applies a change the database now holds as <paramref name="revision"/>. Only the next revision in line can be
    /// applied; anything else means a change was missed (another process, or writers finishing out of order): false,
    /// and this copy is repaired or loaded again before the next search.
    /// </summary>
    public bool TryApply(long revision, Action<ITenantVectorIndex> change, DateTime now)
    {
        lock (_sync)
        {
            if (_retired || revision != _revision + 1) return false;
            change(_index);
            _revision = revision;
            _lastChanged = now;
            return true;
        }
    }

    /// <summary>
    /// The copy now reflects <paramref name="revision"/>: a repair read the database as of it. Set as it is, also when
    /// lower than before (a database restored from a backup).
    /// </summary>
    public void Repaired(long revision, DateTime now)
    {
        lock (_sync)
        {
            _revision = revision;
            _lastChanged = now;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> with the index and its revision while no change can be applied (a save, or the
    /// switch to a graph), and notes what it saved.
    /// </summary>
    public T WithChangesHeld<T>(Func<ITenantVectorIndex, long, T> action)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_retired, this);
            return action(_index, _revision);
        }
    }

    /// <summary>
    /// Replaces <paramref name="exact"/> by <paramref name="graph"/>, built from it, after catching up the changes applied
    /// to it meanwhile; false when the set no longer searches <paramref name="exact"/>.
    /// </summary>
    public bool TrySwitchToGraph(VectorIndex exact, Graph.GraphVectorIndex graph, out int caughtUp)
    {
        lock (_sync)
        {
            caughtUp = 0;
            if (_retired || !ReferenceEquals(_index, exact)) return false;
            caughtUp = Graph.GraphBuilder.CatchUp(exact, graph);
            _index = graph;
            _savedRevision = -1;
            return true;
        }
    }

    /// <summary>A graph with changes that are not on disk yet, and none for <paramref name="quiet"/>.</summary>
    public bool NeedsSave(DateTime now, TimeSpan quiet)
    {
        lock (_sync) return !_retired && _index is Graph.GraphVectorIndex && _savedRevision != _revision && now - _lastChanged >= quiet;
    }

    public void Saved(long revision)
    {
        lock (_sync) _savedRevision = revision;
    }

    /// <summary>Takes the copy out of use: no change is applied to it any more and its graph's memory is given back.</summary>
    public void Retire()
    {
        lock (_sync)
        {
            _retired = true;
            (_index as IDisposable)?.Dispose();
        }
    }
}
