namespace StorageApi.Data;

/// <summary>
/// A tenant's stored bytes, once per (tenant, sha256) however many objects share them: which store holds them and under
/// which key. The row is where uploads and deletes of the same bytes meet (see Objects/BlobReferences.cs); keys are
/// unique per write, so a late delete of old bytes can never remove a newer copy.
/// </summary>
public sealed class Blob
{
    public required string TenantId { get; init; }
    public required string Sha256 { get; init; }
    /// <summary>The store's <see cref="ObjectStores.ObjectStoreUrl.Text"/>, e.g. <c>file:</c> or <c>s3://bucket/prefix</c>.</summary>
    public required string Store { get; set; }
    public required string Key { get; set; }
    public long Size { get; init; }
    public DateTime CreatedAt { get; init; }
}
