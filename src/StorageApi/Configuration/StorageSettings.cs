using StorageApi.ObjectStores;
using StorageApi.RateLimiting;

namespace StorageApi.Configuration;

/// <summary>The service's validated configuration. Paths are absolute.</summary>
public sealed record StorageSettings
{
    public required string Environment { get; init; }
    public string? TenantId { get; init; }
    public required DatabaseUrl Database { get; init; }
    public required string DataDirectory { get; init; }
    /// <summary>Null only in development, where a random key is generated into the data directory.</summary>
    public string? AdminApiKey { get; init; }
    public string? SigningKey { get; init; }
    public string? OpenAiApiKey { get; init; }
    public string? OpenAiBaseUrl { get; init; }
    public string? EmbeddingModel { get; init; }
    /// <summary>What embeds: one of <see cref="Embedders"/> (ConfigurationReader chooses the default: the local model, or OpenAI with a key).</summary>
    public string Embedder { get; init; } = Embedders.Hashing;
    /// <summary>The folder with the local model's model.onnx and vocab.txt (EMBEDDER=local-minilm).</summary>
    public string? EmbeddingModelDirectory { get; init; }
    public string? SentryDsn { get; init; }
    public required string Urls { get; init; }
    /// <summary>Where clients reach this instance (scheme, host, port, optional path); signed links start with it. Null: from each request.</summary>
    public Uri? PublicBaseUrl { get; init; }
    public required long MaxUploadBytes { get; init; }
    public required long MinFreeDiskBytes { get; init; }
    /// <summary>The rate limits of every tenant that has no override of its own.</summary>
    public required TenantLimits DefaultLimits { get; init; }

    /// <summary>Where new uploads go (BLOB_STORE_URL): <c>file:</c> is <see cref="BlobDirectory"/>.</summary>
    public required ObjectStoreUrl BlobStoreUrl { get; init; }
    public S3Settings S3 { get; init; } = new();
    /// <summary>Off-host backups (BACKUP_URL); null: none are taken.</summary>
    public BackupSettings? Backup { get; init; }

    public bool IsDevelopment => Environment == Environments.Development;

    public string BlobDirectory => Path.Combine(DataDirectory, "blobs");
    public string TempDirectory => Path.Combine(DataDirectory, "tmp");
    /// <summary>Saved vector graphs, one folder per tenant: a cache of the database, never backed up.</summary>
    public string VectorIndexDirectory => Path.Combine(DataDirectory, "vector-indexes");

    public static class Embedders
    {
        public const string Hashing = "hashing";
        public const string LocalMiniLm = "local-minilm";
        public const string OpenAi = "openai";
        public static readonly IReadOnlyList<string> All = [Hashing, LocalMiniLm, OpenAi];
    }

    public static class Environments
    {
        public const string Development = "development";
        public const string Staging = "staging";
        public const string Production = "production";
        public static readonly IReadOnlyList<string> All = [Development, Staging, Production];
    }
}
