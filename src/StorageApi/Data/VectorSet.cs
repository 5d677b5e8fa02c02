namespace StorageApi.Data;

/// <summary>
/// A tenant's vectors made by one embedder (provider, endpoint, model). A tenant has at most one <c>active</c> set, which
/// search reads, and at most one <c>building</c> set, filled in the background after the configured embedder changed.
/// </summary>
public sealed class VectorSet
{
    public const string Active = "active";
    public const string Building = "building";

    public long Id { get; init; }
    public required string TenantId { get; init; }
    public required string State { get; set; }
    public required string Provider { get; init; }
    /// <summary>The OpenAI-compatible base URL, or null for the provider's own (the local provider has none).</summary>
    public string? Endpoint { get; init; }
    public required string Model { get; init; }
    /// <summary>Known once the first vector is stored.</summary>
    public int? Dimensions { get; set; }
    /// <summary>Bumped with every change to the set's vectors, so an in-memory copy can tell that it is stale.</summary>
    public long Revision { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? ActivatedAt { get; set; }
}
