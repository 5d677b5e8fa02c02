namespace StorageApi.Data;

/// <summary>
/// A tenant's own rate limits, set by an operator. A null column means "the environment's default", so a default that
/// changes later still reaches every tenant that never overrode it.
/// </summary>
public sealed class TenantLimitOverride
{
    public required string TenantId { get; init; }
    public int? RequestsPerMinute { get; set; }
    public int? RequestBurst { get; set; }
    public long? UploadBytesPerMinute { get; set; }
    public int? ConcurrentUploads { get; set; }
    public DateTime UpdatedAt { get; set; }
}
