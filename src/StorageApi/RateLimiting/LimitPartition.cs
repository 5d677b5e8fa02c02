namespace StorageApi.RateLimiting;

/// <summary>
/// The buckets of one caller: a tenant's own key, or the anonymous visitors of a tenant's public objects and links.
/// Follows the tenant's limits as they change, keeping what has been used.
/// </summary>
public sealed class LimitPartition
{
    private readonly Lock _gate = new();

    public LimitPartition(TenantLimits limits, TimeProvider clock)
    {
        Limits = limits;
        Requests = new TokenBucket(limits.RequestBurst, limits.RequestsPerMinute / 60.0, clock);
        UploadBytes = new TokenBucket(limits.UploadBytesPerMinute, limits.UploadBytesPerMinute / 60.0, clock);
    }

    public TenantLimits Limits { get; private set; }
    public TokenBucket Requests { get; }
    public TokenBucket UploadBytes { get; }
    public UploadSlots Uploads { get; } = new();

    /// <summary>Brings the buckets to <paramref name="limits"/> when they differ from the ones in force.</summary>
    public void Follow(TenantLimits limits)
    {
        lock (_gate)
        {
            if (limits == Limits) return;
            if (limits.RequestBurst != Limits.RequestBurst || limits.RequestsPerMinute != Limits.RequestsPerMinute)
                Requests.Resize(limits.RequestBurst, limits.RequestsPerMinute / 60.0);
            if (limits.UploadBytesPerMinute != Limits.UploadBytesPerMinute)
                UploadBytes.Resize(limits.UploadBytesPerMinute, limits.UploadBytesPerMinute / 60.0);
            Limits = limits; // concurrent uploads are read from here at each entry
        }
    }
}
