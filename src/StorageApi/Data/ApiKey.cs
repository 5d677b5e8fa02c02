namespace StorageApi.Data;

/// <summary>A tenant's API key. Only the SHA-256 of the key is stored; the key itself is shown once.</summary>
public sealed class ApiKey
{
    public required string Id { get; init; }
    public required string TenantId { get; init; }
    public required string Name { get; init; }
    /// <summary>The first characters of the key, so people can tell their keys apart.</summary>
    public required string Prefix { get; init; }
    public required string Hash { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; set; }
}
