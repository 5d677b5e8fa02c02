using Amazon.Runtime.Internal.Util;
using Amazon.S3.Model;

namespace StorageApi.ObjectStores;

/// <summary>The body of a GetObject response, read straight from the connection; disposing it releases the response.</summary>
internal sealed class S3ReadStream(GetObjectResponse response) : Stream
{
    // Without a range the SDK MD5-checks a whole object whose ETag looks like an MD5 (single-part objects; every object
    // on s3rver): about 3 CPU seconds per GiB, and a mismatch could only fail the response after its last byte was sent.
    // The sha256 is the service's own check, and the connection's stream still fails on a short body. (bench/s3-transfer)
    private readonly Stream _body = response.ResponseStream is MD5Stream md5 ? md5.GetNonWrapperBaseStream() : response.ResponseStream;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    /// <summary>How many bytes the response carries (from the offset to the end).</summary>
    public override long Length => response.ContentLength;
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => _body.Read(buffer);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _body.ReadAsync(buffer, offset, count, cancellationToken);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _body.ReadAsync(buffer, cancellationToken);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) response.Dispose();
        base.Dispose(disposing);
    }
}
