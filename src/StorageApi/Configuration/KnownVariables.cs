namespace StorageApi.Configuration;

/// <summary>Every environment variable the service reads. A name close to one of these is a typo, not a new setting.</summary>
public static class KnownVariables
{
    public const string Environment = "ENVIRONMENT";
    public const string TenantId = "TENANT_ID";
    public const string DatabaseUrl = "DATABASE_URL";
    public const string DataDirectory = "STORAGE_DATA_DIR";
    public const string AdminApiKey = "ADMIN_API_KEY";
    public const string SigningKey = "SIGNING_KEY";
    public const string OpenAiApiKey = "OPENAI_API_KEY";
    public const string OpenAiBaseUrl = "OPENAI_BASE_URL";
    public const string EmbeddingModel = "EMBEDDING_MODEL";
    public const string Embedder = "EMBEDDER";
    public const string EmbeddingModelDirectory = "EMBEDDING_MODEL_DIR";
    public const string SentryDsn = "SENTRY_DSN";
    public const string Urls = "URLS";
    public const string PublicBaseUrl = "PUBLIC_BASE_URL";
    public const string MaxUploadBytes = "MAX_UPLOAD_BYTES";
    public const string MinFreeDiskMegabytes = "MIN_FREE_DISK_MB";
    public const string RequestsPerMinute = "RATE_LIMIT_REQUESTS_PER_MINUTE";
    public const string RequestBurst = "RATE_LIMIT_REQUEST_BURST";
    public const string UploadBytesPerMinute = "RATE_LIMIT_UPLOAD_BYTES_PER_MINUTE";
    public const string ConcurrentUploads = "RATE_LIMIT_CONCURRENT_UPLOADS";
    public const string BlobStoreUrl = "BLOB_STORE_URL";
    public const string S3Endpoint = "S3_ENDPOINT";
    public const string S3Region = "S3_REGION";
    public const string S3ForcePathStyle = "S3_FORCE_PATH_STYLE";
    public const string S3AccessKeyId = "S3_ACCESS_KEY_ID";
    public const string S3SecretAccessKey = "S3_SECRET_ACCESS_KEY";
    public const string BackupUrl = "BACKUP_URL";
    public const string BackupInterval = "BACKUP_INTERVAL";
    public const string BackupKey = "BACKUP_KEY";
    public const string BackupKeepHourly = "BACKUP_KEEP_HOURLY";
    public const string BackupKeepDaily = "BACKUP_KEEP_DAILY";

    public static readonly IReadOnlyList<string> All =
    [
        Environment, TenantId, DatabaseUrl, DataDirectory, AdminApiKey, SigningKey, OpenAiApiKey,
        OpenAiBaseUrl, EmbeddingModel, Embedder, EmbeddingModelDirectory, SentryDsn, Urls, PublicBaseUrl, MaxUploadBytes, MinFreeDiskMegabytes,
        RequestsPerMinute, RequestBurst, UploadBytesPerMinute, ConcurrentUploads, BlobStoreUrl, S3Endpoint, S3Region,
        S3ForcePathStyle, S3AccessKeyId, S3SecretAccessKey, BackupUrl, BackupInterval, BackupKey, BackupKeepHourly,
        BackupKeepDaily,
    ];

    /// <summary>The known name that <paramref name="name"/> looks like a misspelling of, or null.</summary>
    public static string? LookAlikeOf(string name)
    {
        if (All.Contains(name, StringComparer.Ordinal)) return null;
        foreach (var known in All)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase)) return known;
            if (Normalize(known) == Normalize(name)) return known;
            var allowed = known.Length >= 8 ? 2 : 1;
            if (Math.Abs(known.Length - name.Length) <= allowed && EditDistance(known, name.ToUpperInvariant()) <= allowed)
                return known;
        }
        return null;
    }

    private static string Normalize(string name) => new(name.ToUpperInvariant().Where(char.IsLetterOrDigit).ToArray());

    /// <summary>
    /// Levenshtein distance: insertions, deletions and substitutions, each one edit. storagectl compiles this file in and
    /// uses this for every "did you mean" it prints, so there is one implementation.
    /// </summary>
    public static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
