namespace StorageApi.RateLimiting;

/// <summary>What a limit may be set to, by the admin API and by the environment alike.</summary>
public sealed record LimitRange(string Name, long Minimum, long Maximum)
{
    public bool Contains(long value) => value >= Minimum && value <= Maximum;

    public string Rule => $"a whole number from {Minimum} to {Maximum}";
}

public static class LimitRanges
{
    public static readonly LimitRange RequestsPerMinute = new("requestsPerMinute", 1, 1_000_000);
    public static readonly LimitRange RequestBurst = new("requestBurst", 1, 100_000);
    // At least 1 KiB, so a multipart envelope can always get through; at most 1 TiB.
    public static readonly LimitRange UploadBytesPerMinute = new("uploadBytesPerMinute", 1024, 1L << 40);
    public static readonly LimitRange ConcurrentUploads = new("concurrentUploads", 1, 1_000);

    public static readonly IReadOnlyList<LimitRange> All = [RequestsPerMinute, RequestBurst, UploadBytesPerMinute, ConcurrentUploads];

    /// <summary>Every value outside its range, described; empty when all are fine.</summary>
    public static IReadOnlyList<string> Problems(LimitOverrides overrides)
    {
        var problems = new List<string>();
        void Check(LimitRange range, long? value)
        {
            if (value is { } v && !range.Contains(v)) problems.Add($"'{range.Name}' is {v}; it must be {range.Rule}.");
        }
        Check(RequestsPerMinute, overrides.RequestsPerMinute);
        Check(RequestBurst, overrides.RequestBurst);
        Check(UploadBytesPerMinute, overrides.UploadBytesPerMinute);
        Check(ConcurrentUploads, overrides.ConcurrentUploads);
        return problems;
    }
}
