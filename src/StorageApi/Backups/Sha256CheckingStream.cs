using System.Security.Cryptography;

namespace StorageApi.Backups;

/// <summary>
/// Passes <paramref name="source"/> through while hashing it, and at its end throws when the bytes are not the ones
/// <paramref name="expectedSha256"/> names: before the reader sees the end, so an upload of them is aborted, not stored.
/// </summary>
public sealed class Sha256CheckingStream(Stream source, string expectedSha256, string what) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            _hash.AppendData(buffer.Span[..read]);
            BytesRead += read;
            return read;
        }
        var actual = Convert.ToHexStringLower(_hash.GetCurrentHash());
        if (!actual.Equals(expectedSha256, StringComparison.OrdinalIgnoreCase))
            throw new BackupException($"{what} should have sha256 {expectedSha256} but its {BytesRead} bytes have {actual}");
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
}
