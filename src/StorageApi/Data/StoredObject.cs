namespace StorageApi.Data;

/// <summary>An object's metadata. Its bytes live in the blob store under (tenant, sha256) and never change.</summary>
public sealed class StoredObject
{
    public required string Id { get; init; }
    public required string TenantId { get; init; }
    public required string Filename { get; init; }
    public required string ContentType { get; init; }
    public long Size { get; init; }
    public required string Sha256 { get; init; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public List<string> Tags { get; set; } = [];
    public string? Collection { get; set; }
    public bool IsPublic { get; set; }
    /// <summary>A JSON object of string, number and boolean values.</summary>
    public string? MetadataJson { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
}
