// Direct transfers for bench/s3-transfer/run.sh: one file to or from an S3 server with AWSSDK.S3, timed in-process.
// usage: S3TransferBench upload|download|download-unchecked <endpoint> <bucket> <key> <file>   (download-unchecked: read under the SDK's MD5 check)
//   prints "<seconds> <bytes> cpu <this process's CPU seconds>", for an upload followed by "complete <seconds of CompleteMultipartUpload>"
// The upload has the service's shape (S3PartUploader): 8 MiB parts read in order, at most 4 part buffers at once.
using System.Buffers;
using System.Diagnostics;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Util;
using Amazon.S3;
using Amazon.S3.Model;

if (args.Length != 5 || args[0] is not ("upload" or "download" or "download-unchecked"))
{
    Console.Error.WriteLine("usage: S3TransferBench upload|download|download-unchecked <endpoint> <bucket> <key> <file>");
    return 2;
}
var (mode, endpoint, bucket, key, file) = (args[0], args[1], args[2], args[3], args[4]);

// The same client settings as the service's S3Clients: path style, no AWS-only checksums.
using var client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
{
    ServiceURL = endpoint,
    ForcePathStyle = true,
    AuthenticationRegion = "us-east-1",
    RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
    ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    Timeout = TimeSpan.FromMinutes(5),
});

// A warm-up round trip of 16 MiB (two parts) first, so the timed transfer does not pay for the SDK's JIT, as the
// service, warmed up by run.sh, does not either.
await UploadAsync(key + ".warm", new MemoryStream(new byte[16 * 1024 * 1024]));
await DownloadAsync(key + ".warm", Stream.Null);
await DownloadAsync(key + ".warm", Stream.Null, skipMd5: true);
await client.DeleteObjectAsync(bucket, key + ".warm");

var completeSeconds = 0.0;
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
long bytes;
if (mode == "upload")
{
    await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, useAsync: true);
    bytes = await UploadAsync(key, source);
}
else
{
    await using var target = file == "/dev/null" ? Stream.Null : File.Create(file);
    bytes = await DownloadAsync(key, target, skipMd5: mode == "download-unchecked");
}
var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
Console.WriteLine($"{clock.Elapsed.TotalSeconds:F3} {bytes} cpu {cpu.TotalSeconds:F3}" + (mode == "upload" ? $" complete {completeSeconds:F3}" : ""));
return 0;

async Task<long> UploadAsync(string key, Stream source)
{
    const int PartSize = 8 * 1024 * 1024, PartsInMemory = 4;
    var uploadId = (await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key })).UploadId;
    using var slots = new SemaphoreSlim(PartsInMemory);
    var parts = new List<Task<PartETag>>();
    long total = 0;
    for (var partNumber = 1; ; partNumber++)
    {
        await slots.WaitAsync();
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        var length = 0;
        int read;
        while (length < PartSize && (read = await source.ReadAsync(buffer.AsMemory(length, PartSize - length))) > 0) length += read;
        if (length == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            break;
        }
        parts.Add(SendPartAsync(key, uploadId, partNumber, buffer, length, slots));
        total += length;
    }
    var etags = await Task.WhenAll(parts);
    var completing = Stopwatch.StartNew(); // s3rver joins the parts into the object here: a second pass over the bytes
    await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
    {
        BucketName = bucket, Key = key, UploadId = uploadId, PartETags = [.. etags],
    });
    completeSeconds = completing.Elapsed.TotalSeconds;
    return total;
}

async Task<PartETag> SendPartAsync(string key, string uploadId, int partNumber, byte[] buffer, int length, SemaphoreSlim slots)
{
    try
    {
        await Task.Yield(); // the reader fills the next buffer meanwhile
        var response = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = key, UploadId = uploadId, PartNumber = partNumber, PartSize = length,
            InputStream = new MemoryStream(buffer, 0, length, writable: false), UseChunkEncoding = false,
        });
        return new PartETag(partNumber, response.ETag);
    }
    finally
    {
        ArrayPool<byte>.Shared.Return(buffer);
        slots.Release();
    }
}

// GetObject as it comes: the SDK MD5-checks a whole object whose ETag is an MD5 (single-part objects; every object on
// s3rver, which joins parts into a plain MD5 ETag). "Unchecked" reads under that check, as the service's S3ReadStream does.
async Task<long> DownloadAsync(string key, Stream target, bool skipMd5 = false)
{
    using var response = await client.GetObjectAsync(bucket, key);
    var body = skipMd5 && response.ResponseStream is MD5Stream md5 ? md5.GetNonWrapperBaseStream() : response.ResponseStream;
    return await CopyAsync(body, target);
}

async Task<long> CopyAsync(Stream source, Stream target)
{
    var buffer = new byte[256 * 1024];
    long total = 0;
    int read;
    while ((read = await source.ReadAsync(buffer)) > 0)
    {
        await target.WriteAsync(buffer.AsMemory(0, read));
        total += read;
    }
    return total;
}
