using System.Security.Cryptography;

namespace StorageApi.Objects;

/// <summary>
/// Reads a stored blob on its way to another store and checks it against its row: at the end of the bytes, before the
/// store can treat the copy as complete, a different sha256 or size throws <see cref="BlobCorruptException"/>, so the
/// store discards what it wrote (a partial file removed, a multipart upload aborted).
/// </summary>
public sealed class VerifyingReadStream(Stream source, string expectedSha256, long expectedSize, string description) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;
    private string? _actual;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    /// <summary>True once every byte was read and matched.</summary>
    public bool Verified => _actual == expectedSha256 && _length == expectedSize;

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
        if (bytes.Length > 0)
        {
            _length += bytes.Length;
            _hash.AppendData(bytes);
            if (_length > expectedSize) Refuse($"more bytes than the recorded {expectedSize}");
            return;
        }
        _actual ??= Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (_actual != expectedSha256) Refuse($"sha256 {_actual} ({_length} bytes)");
        if (_length != expectedSize) Refuse($"{_length} bytes instead of the recorded {expectedSize}");
    }

    private void Refuse(string found) =>
        throw new BlobCorruptException($"{description} is corrupt: the stored bytes have {found}; nothing was switched for it");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            source.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        await source.DisposeAsync();
        await base.DisposeAsync();
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Stored bytes that are not what their row says: never copied on, never switched to.</summary>
public sealed class BlobCorruptException(string message) : Errors.DomainException(message);
