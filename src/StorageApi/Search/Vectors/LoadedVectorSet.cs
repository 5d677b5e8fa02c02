using StorageApi.Data;
using StorageApi.Search.Embeddings;

namespace StorageApi.Search.Vectors;

/// <summary>
/// A tenant's active vector set as held in memory, with the set revision it reflects. Its index is exact, or a graph
/// once the tenant is large; the exact one is replaced by a graph built in the background, without a change lost.
/// A graph given to the constructor is taken as read from a file saved at <c>revision</c> (see <see cref="Unsaved"/>).
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
    private bool _repairing;

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
    /// A repair is about to change the graph outside the lock that changes take: waits for a save in progress, and keeps
    /// saves and unloading away until <see cref="Repaired"/> or <see cref="RepairFailed"/>.
    /// </summary>
    public void BeginRepair()
    {
        lock (_sync) _repairing = true;
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
            _repairing = false;
        }
    }

    public void RepairFailed()
    {
        lock (_sync) _repairing = false;
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
        lock (_sync) return !_retired && !_repairing && _index is Graph.GraphVectorIndex && _savedRevision != _revision && now - _lastChanged >= quiet;
    }

    /// <summary>A graph that is not on disk (built here, not read from a file).</summary>
    public void Unsaved()
    {
        lock (_sync) _savedRevision = -1;
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

    /// <summary>Retires the copy when it was not used for <paramref name="idle"/> and no repair is running; true when it did.</summary>
    public bool TryRetireIdle(DateTime now, TimeSpan idle)
    {
        lock (_sync)
        {
            if (_repairing || now - LastUsed < idle) return false;
            Retire();
            return true;
        }
    }
}
