using System.Security.Cryptography;

namespace StorageApi.Tests.Infrastructure;

/// <summary>
/// <paramref name="length"/> pseudo-random bytes (the same for the same seed), made as they are read: a source that is
/// neither buffered nor seekable, like a request body. <paramref name="beforeRead"/> sees the position before each read
/// and may throw (a client that goes away) or do something to the world (stop the store).
/// </summary>
internal sealed class GeneratedStream(long length, int seed = 1, Action<long>? beforeRead = null) : Stream
{
    private readonly Random _random = new(seed);
    private long _position;

    public static string Sha256Of(long length, int seed = 1)
    {
        using var stream = new GeneratedStream(length, seed);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        beforeRead?.Invoke(_position);
        var count = (int)Math.Min(Math.Min(buffer.Length, 256 * 1024), length - _position);
        _random.NextBytes(buffer[..count]);
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
