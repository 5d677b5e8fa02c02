using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace StorageApi.ObjectStores;

/// <summary>The AWS SDK client for the S3_* settings, tuned for third-party stores and for failing fast when a store is gone.</summary>
internal static class S3Clients
{
    public static AmazonS3Client Create(S3Settings settings)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            AuthenticationRegion = settings.Region,
            // The SDK's default CRC trailers and response checks are AWS-only; MinIO, Garage, s3rver and older RGWs reject or lack them.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // A stopped store answers "unavailable" within seconds instead of after the SDK's long default back-off.
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        if (settings.Endpoint is { Length: > 0 } endpoint) config.ServiceURL = endpoint;
        else config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);

        return settings is { AccessKeyId: { Length: > 0 } id, SecretAccessKey: { Length: > 0 } secret }
            ? new AmazonS3Client(new BasicAWSCredentials(id, secret), config)
            : new AmazonS3Client(config); // the SDK's own chain: environment, ~/.aws, instance roles
    }
}
