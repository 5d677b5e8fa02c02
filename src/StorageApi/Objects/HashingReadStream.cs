using System.Security.Cryptography;
using StorageApi.Errors;
using StorageApi.ObjectStores;
using StorageApi.Search;

namespace StorageApi.Objects;

/// <summary>
/// Reads an upload on its way to the store: hashes and counts it, shows it to search's text capture, and refuses it
/// as soon as it passes the size limit, so a store never receives more than the limit.
/// </summary>
public sealed class HashingReadStream(Stream source, long maxBytes, TextCapture text) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    public long BytesRead => _length;

    public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        Count(buffer.Span[..read]);
        return read;
    }

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
}
