using StorageApi.Configuration;

namespace StorageApi.RateLimiting;

/// <summary>The limits one tenant works under: requests (a token bucket with a burst), upload bytes, parallel uploads.</summary>
public sealed record TenantLimits(int RequestsPerMinute, int RequestBurst, long UploadBytesPerMinute, int ConcurrentUploads)
{
    private const long GiB = 1024L * 1024 * 1024;

    /// <summary>Development is generous, so nobody trips over limits while building; the headers still show.</summary>
    public static readonly TenantLimits Development = new(RequestsPerMinute: 10_000, RequestBurst: 1_000, UploadBytesPerMinute: 10 * GiB, ConcurrentUploads: 16);

    /// <summary>
    /// Staging and production: 10 requests a second on average with room for a page of parallel calls, 1 GiB of uploads
    /// a minute (about 140 Mbit/s) and 4 uploads at a time, which together keep one tenant from filling a host's disk
    /// and network. Staging matches production, so limits surprise nobody on release.
    /// </summary>
    public static readonly TenantLimits Production = new(RequestsPerMinute: 600, RequestBurst: 100, UploadBytesPerMinute: 1 * GiB, ConcurrentUploads: 4);

    public static TenantLimits DefaultsFor(string environment) =>
        environment == StorageSettings.Environments.Development ? Development : Production;

    /// <summary>These limits with the overridden values put in.</summary>
    public TenantLimits With(LimitOverrides overrides) => new(
        overrides.RequestsPerMinute ?? RequestsPerMinute,
        overrides.RequestBurst ?? RequestBurst,
        overrides.UploadBytesPerMinute ?? UploadBytesPerMinute,
        overrides.ConcurrentUploads ?? ConcurrentUploads);
}

/// <summary>An operator's overrides of a tenant's limits; a null value means "the default".</summary>
public sealed record LimitOverrides(int? RequestsPerMinute = null, int? RequestBurst = null, long? UploadBytesPerMinute = null, int? ConcurrentUploads = null);
