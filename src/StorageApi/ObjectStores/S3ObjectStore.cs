using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StorageApi.ObjectStores;

/// <summary>
/// Keys as objects of an S3-compatible bucket under the URL's prefix (<c>&lt;prefix&gt;/&lt;key&gt;</c>), through AWSSDK.S3.
/// Store failures surface as <see cref="ObjectStoreUnavailableException"/> naming the URL and the cause (see <see cref="S3Errors"/>).
/// </summary>
public sealed class S3ObjectStore : IObjectStore
{
    /// <summary>Where <see cref="CheckAsync"/> writes its probes; <see cref="ObjectKeys"/> never makes a key starting with a dot.</summary>
    private const string ProbeFolder = ".probe";

    private readonly S3Settings _settings;
    private readonly ILogger _logger;
    private readonly AmazonS3Client _client;
    private readonly S3PartUploader _uploader;

    public S3ObjectStore(ObjectStoreUrl url, S3Settings settings, ILogger? logger = null)
    {
        if (!url.IsS3) throw new ArgumentException($"{url} is not an s3:// URL", nameof(url));
        (Url, _settings, _logger) = (url, settings, logger ?? NullLogger.Instance);
        _client = S3Clients.Create(settings);
        _uploader = new S3PartUploader(_client, url, settings, _logger);
    }

    public ObjectStoreUrl Url { get; }
    public S3Settings Settings => _settings;
    private string Bucket => Url.Bucket!;

    public Task<long> PutAsync(string key, Stream source, CancellationToken cancellationToken) =>
        _uploader.UploadAsync(ObjectKeyOf(key), source, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken) => GuardAsync<Stream>(async () =>
    {
        var request = new GetObjectRequest { BucketName = Bucket, Key = ObjectKeyOf(key) };
        if (offset > 0) request.ByteRange = new ByteRange($"bytes={offset}-");
        try
        {
            return new S3ReadStream(await _client.GetObjectAsync(request, cancellationToken));
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey" || (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket"))
        {
            throw new ObjectKeyNotFoundException($"{key} is not in {Url}");
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return Stream.Null; // an offset at (or past) the end: nothing left to read, as with a file
        }
    }, cancellationToken);

    public async IAsyncEnumerable<StoredKey> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = ObjectKeyPrefix + prefix };
        do
        {
            var page = await GuardAsync(() => _client.ListObjectsV2Async(request, cancellationToken), cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                var key = item.Key[ObjectKeyPrefix.Length..];
                if (key.StartsWith(ProbeFolder + "/", StringComparison.Ordinal)) continue;
                yield return new StoredKey(key, item.Size ?? 0, item.LastModified?.ToUniversalTime() ?? DateTime.MinValue);
            }
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (request.ContinuationToken is not null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        GuardAsync(() => _client.DeleteObjectAsync(Bucket, ObjectKeyOf(key), cancellationToken), cancellationToken);

    public async Task<int> DeleteIncompleteAsync(DateTime olderThanUtc, CancellationToken cancellationToken)
    {
        var removed = 0;
        var request = new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = ObjectKeyPrefix };
        try
        {
            while (true)
            {
                var page = await _client.ListMultipartUploadsAsync(request, cancellationToken);
                foreach (var upload in page.MultipartUploads ?? [])
                {
                    if (upload.Initiated?.ToUniversalTime() >= olderThanUtc) continue;
                    await _client.AbortMultipartUploadAsync(Bucket, upload.Key, upload.UploadId, cancellationToken);
                    removed++;
                }
                if (page.IsTruncated != true) return removed;
                (request.KeyMarker, request.UploadIdMarker) = (page.NextKeyMarker, page.NextUploadIdMarker);
            }
        }
        catch (AmazonS3Exception e) when (S3Errors.IsUnsupported(e))
        {
            _logger.LogDebug("{Store} cannot list or abort multipart uploads ({Code}); {Removed} removed", Url, e.ErrorCode, removed);
            return removed;
        }
        catch (Exception e) when (S3Errors.IsStoreFailure(e, cancellationToken))
        {
            throw S3Errors.Unavailable(Url, _settings, e);
        }
    }

    /// <summary>Lists under the prefix (reach, bucket, read access) and writes then deletes a probe (write access).</summary>
    public Task CheckAsync(CancellationToken cancellationToken) => GuardAsync(async () =>
    {
        await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = ObjectKeyPrefix, MaxKeys = 1 }, cancellationToken);
        var probe = $"{ObjectKeyPrefix}{ProbeFolder}/{Guid.NewGuid():N}";
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = probe, ContentBody = "ok", UseChunkEncoding = false }, cancellationToken);
        await _client.DeleteObjectAsync(Bucket, probe, cancellationToken);
    }, cancellationToken);

    /// <summary>"prefix/" (or "" without a prefix): what every object key of this store starts with.</summary>
    private string ObjectKeyPrefix => Url.Prefix.Length == 0 ? "" : Url.Prefix + "/";

    private string ObjectKeyOf(string key)
    {
        ObjectKeys.Validate(key);
        return ObjectKeyPrefix + key;
    }

    private Task<T> GuardAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) => S3Errors.GuardAsync(Url, _settings, call, cancellationToken);
    private Task GuardAsync(Func<Task> call, CancellationToken cancellationToken) => S3Errors.GuardAsync(Url, _settings, call, cancellationToken);
}
