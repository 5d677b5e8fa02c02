namespace StorageApi.Data;

/// <summary>An object's embedding in one vector set: L2-normalised float32 values, little-endian, as a blob.</summary>
public sealed class ObjectVector
{
    public required string TenantId { get; init; }
    public long SetId { get; init; }
    public required string ObjectId { get; init; }
    public required byte[] Vector { get; set; }
    public DateTime EmbeddedAt { get; set; }
}
