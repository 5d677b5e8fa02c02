using System.Security.Cryptography;
using StorageApi.Errors;
using StorageApi.Search;

namespace StorageApi.Objects;

/// <summary>
/// Reads an upload on its way to the store: hashes and counts it, shows it to search's text capture, and refuses it
/// as soon as it passes the size limit, so a store never receives more than the limit.
/// </summary>
public sealed class HashingReadStream(Stream source, long maxBytes, TextCapture text) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        Count(buffer.Span[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = source.Read(buffer, offset, count);
        Count(buffer.AsSpan(offset, read));
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Count(ReadOnlySpan<byte> bytes)
    {
        _length += bytes.Length;
        if (_length > maxBytes) throw new TooLargeException($"The file is larger than the limit of {maxBytes} bytes.");
        _hash.AppendData(bytes);
        text.Add(bytes);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
