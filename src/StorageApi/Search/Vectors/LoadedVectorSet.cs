using StorageApi.Data;
using StorageApi.Search.Embeddings;

namespace StorageApi.Search.Vectors;

/// <summary>A tenant's active vector set as held in memory, with the set revision it reflects.</summary>
public sealed class LoadedVectorSet(string tenantId, long setId, EmbedderIdentity embedder, VectorIndex index, long revision)
{
    private readonly Lock _sync = new();

    public string TenantId { get; } = tenantId;
    public long SetId { get; } = setId;
    public EmbedderIdentity Embedder { get; } = embedder;
    public VectorIndex Index { get; } = index;
    public long Revision { get { lock (_sync) return _revision; } }

    private long _revision = revision;

    /// <summary>Current when it is the database's active set and has seen at least the database's revision of it.</summary>
    public bool IsCurrentFor(VectorSet active) => active.TenantId == TenantId && active.Id == SetId && Revision >= active.Revision;

    /// <summary>
    /// Applies a change the database now holds as <paramref name="revision"/>. Only the next revision in line can be
    /// applied; anything else means a change was missed (another process, or writers finishing out of order): false,
    /// and the caller drops this copy so that the next search loads the set again.
    /// </summary>
    public bool TryApply(long revision, Action<VectorIndex> change)
    {
        lock (_sync)
        {
            if (revision != _revision + 1) return false;
            change(Index);
            _revision = revision;
            return true;
        }
    }
}
