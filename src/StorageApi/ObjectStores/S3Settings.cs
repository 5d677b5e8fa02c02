namespace StorageApi.ObjectStores;

/// <summary>
/// How to reach S3-compatible stores (S3_* variables), shared by the blob store and backups. Without keys the AWS SDK's
/// own chain is used (instance roles, ~/.aws). <see cref="Endpoint"/> is null for AWS itself.
/// </summary>
public sealed record S3Settings
{
    public const string DefaultRegion = "us-east-1";

    public string? Endpoint { get; init; }
    public string Region { get; init; } = DefaultRegion;
    /// <summary>http://endpoint/bucket/key instead of http://bucket.endpoint/key: what MinIO, Garage and most self-hosted stores need.</summary>
    public bool ForcePathStyle { get; init; }
    public string? AccessKeyId { get; init; }
    public string? SecretAccessKey { get; init; }
}
