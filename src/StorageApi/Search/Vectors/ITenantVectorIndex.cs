namespace StorageApi.Search.Vectors;

/// <summary>
/// What the writers of a tenant's vectors need of its in-memory index, exact (<see cref="VectorIndex"/>) or approximate
/// (<see cref="Graph.GraphVectorIndex"/>): committed changes are applied to it the same way.
/// </summary>
public interface ITenantVectorIndex
{
    int Dimensions { get; }
    int Count { get; }
    /// <summary>Bytes held in memory for the vectors and whatever finds them.</summary>
    long MemoryBytes { get; }
    void Upsert(string objectId, ReadOnlySpan<float> vector);
    bool Remove(string objectId);
}
