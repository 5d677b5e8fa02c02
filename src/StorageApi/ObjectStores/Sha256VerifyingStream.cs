using System.Security.Cryptography;

namespace StorageApi.ObjectStores;

/// <summary>
/// Passes stored bytes through while hashing them and, at their end, throws what <paramref name="mismatch"/> makes of the
/// sha256 and length actually read when they are not <paramref name="expectedSha256"/>: before the reader sees the end,
/// so a store writing them discards its copy (a partial file removed, a multipart upload aborted) instead of keeping it.
/// </summary>
public sealed class Sha256VerifyingStream(Stream source, string expectedSha256, Func<string, long, Exception> mismatch) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;

    /// <summary>True once every byte was read and matched: a reader that stopped early verified nothing.</summary>
    public bool Verified { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            _hash.AppendData(buffer.Span[..read]);
            _length += read;
            return read;
        }
        var actual = Convert.ToHexStringLower(_hash.GetCurrentHash());
        if (!actual.Equals(expectedSha256, StringComparison.OrdinalIgnoreCase)) throw mismatch(actual, _length);
        Verified = true;
        return 0;
    }

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
}
