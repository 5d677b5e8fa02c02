using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace StorageApi.ObjectStores;

/// <summary>
/// Streams one source to one S3 object: a single PutObject when it fits in the first part, otherwise a multipart upload
/// whose parts are read into pooled buffers and sent a few at a time. At most <see cref="PartsInMemory"/> part buffers
/// exist at once (the one being filled counts), so memory stays bounded whatever the size: 4 × 8 MiB for most uploads.
/// Any failure aborts the multipart upload (best effort) and rethrows: the source's exception as it is, the store's
/// as <see cref="ObjectStoreUnavailableException"/>.
/// </summary>
internal sealed class S3PartUploader(IAmazonS3 client, ObjectStoreUrl url, S3Settings settings, ILogger logger)
{
    public const int MinPartSize = 8 * 1024 * 1024;
    public const int PartsInMemory = 4;
    private const int MaxParts = 10_000;

    public async Task<long> UploadAsync(string objectKey, Stream source, CancellationToken cancellationToken)
    {
        var partSize = PartSizeFor(source);
        var first = ArrayPool<byte>.Shared.Rent(partSize);
        var handedOver = false;
        try
        {
            var length = await FillAsync(source, first, partSize, cancellationToken);
            if (length < partSize)
            {
                await S3Errors.GuardAsync(url, settings, () => client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = url.Bucket, Key = objectKey, InputStream = new MemoryStream(first, 0, length, writable: false),
                    UseChunkEncoding = false, AutoCloseStream = false,
                }, cancellationToken), cancellationToken);
                return length;
            }
            handedOver = true; // the multipart upload returns it
        }
        finally
        {
            if (!handedOver) ArrayPool<byte>.Shared.Return(first);
        }
        return await MultipartAsync(objectKey, source, first, partSize, cancellationToken);
    }

    private async Task<long> MultipartAsync(string objectKey, Stream source, byte[] first, int partSize, CancellationToken cancellationToken)
    {
        string uploadId;
        try
        {
            uploadId = (await S3Errors.GuardAsync(url, settings, () => client.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = url.Bucket, Key = objectKey }, cancellationToken), cancellationToken)).UploadId;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(first);
            throw;
        }

        using var slots = new SemaphoreSlim(PartsInMemory - 1); // the first buffer already holds one
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var uploads = new List<Task<PartETag>>();
        long total = partSize;
        try
        {
            uploads.Add(SendPartAsync(objectKey, uploadId, 1, first, partSize, slots, failed));
            for (var partNumber = 2; ; partNumber++)
            {
                await slots.WaitAsync(failed.Token);
                var buffer = ArrayPool<byte>.Shared.Rent(partSize);
                int length;
                try
                {
                    length = await FillAsync(source, buffer, partSize, failed.Token);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    slots.Release();
                    throw;
                }
                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    slots.Release();
                    break;
                }
                if (partNumber > MaxParts)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new InvalidOperationException($"the upload to {url} needs more than {MaxParts} parts of {partSize} bytes");
                }
                uploads.Add(SendPartAsync(objectKey, uploadId, partNumber, buffer, length, slots, failed));
                total += length;
            }
            var parts = await Task.WhenAll(uploads);
            await S3Errors.GuardAsync(url, settings, () => client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = url.Bucket, Key = objectKey, UploadId = uploadId, PartETags = [.. parts],
            }, cancellationToken), cancellationToken);
            return total;
        }
        catch (Exception e)
        {
            await failed.CancelAsync(); // stop the other parts
            try { await Task.WhenAll(uploads); } catch { /* their failures are this one's consequences */ }
            await AbortAsync(objectKey, uploadId);
            // A part's own failure explains the upload's better than the cancellation it caused in the reader.
            var partFailure = uploads.Where(u => u.IsFaulted).Select(u => u.Exception!.InnerException!).FirstOrDefault();
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested && partFailure is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(partFailure);
            throw;
        }
    }

    private async Task<PartETag> SendPartAsync(string objectKey, string uploadId, int partNumber, byte[] buffer, int length,
        SemaphoreSlim slots, CancellationTokenSource failed)
    {
        try
        {
            await Task.Yield(); // the reader goes on filling the next buffer meanwhile
            var response = await S3Errors.GuardAsync(url, settings, () => client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = url.Bucket, Key = objectKey, UploadId = uploadId, PartNumber = partNumber, PartSize = length,
                InputStream = new MemoryStream(buffer, 0, length, writable: false), UseChunkEncoding = false,
            }, failed.Token), failed.Token);
            return new PartETag(partNumber, response.ETag);
        }
        catch
        {
            await failed.CancelAsync(); // the reader stops waiting for a slot
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            slots.Release();
        }
    }

    private async Task AbortAsync(string objectKey, string uploadId)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = url.Bucket, Key = objectKey, UploadId = uploadId }, limit.Token);
        }
        catch (Exception e)
        {
            // s3rver answers 405; a store that is down cannot be told. The sweeper (DeleteIncompleteAsync) retries later.
            logger.LogDebug(e, "Could not abort the multipart upload {UploadId} of {Key} in {Store}", uploadId, objectKey, url);
        }
    }

    /// <summary>8 MiB, or larger when the source's known length needs it to fit in S3's 10,000 parts.</summary>
    private static int PartSizeFor(Stream source)
    {
        if (!source.CanSeek) return MinPartSize;
        long remaining;
        try { remaining = source.Length - source.Position; }
        catch (NotSupportedException) { return MinPartSize; }
        const int MiB = 1024 * 1024;
        var needed = (remaining + MaxParts - 1) / MaxParts;
        return (int)Math.Clamp((needed + MiB - 1) / MiB * MiB, MinPartSize, 1024L * MiB);
    }

    /// <summary>Reads until the buffer holds <paramref name="size"/> bytes or the source ends.</summary>
    private static async Task<int> FillAsync(Stream source, byte[] buffer, int size, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < size && (read = await source.ReadAsync(buffer.AsMemory(filled, size - filled), cancellationToken)) > 0)
            filled += read;
        return filled;
    }
}
