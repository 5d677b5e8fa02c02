using System.Security.Cryptography;

using StorageApi.ObjectStores;

namespace StorageApi.Backups;

/// <summary>
/// Reads the plaintext of a file written by <see cref="EncryptingStream"/> under <paramref name="name"/>. Nothing of a
/// chunk is returned before it authenticates; a file that was altered, cut short or extended throws
/// <see cref="BackupDamagedException"/> naming it.
/// </summary>
public sealed class DecryptingStream(Stream ciphertext, byte[] key, string name) : ReadOnlyStream
{
    private const int RecordSize = ChunkedEncryption.ChunkSize + ChunkedEncryption.TagSize;
    private readonly AesGcm _aes = new(key, ChunkedEncryption.TagSize);
    private byte[]? _header;
    private readonly byte[] _record = new byte[RecordSize + 1]; // one byte more: the look-ahead that says whether a full record is the last
    private int _carried; // look-ahead bytes already at the start of _record
    private readonly byte[] _plain = new byte[ChunkedEncryption.ChunkSize];
    private int _plainStart, _plainEnd;
    private long _index;
    private bool _finished;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_header is null) await ReadHeaderAsync(cancellationToken);
        while (_plainStart == _plainEnd && !_finished) await OpenNextChunkAsync(cancellationToken);
        var count = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsMemory(_plainStart, count).CopyTo(buffer);
        _plainStart += count;
        return count;
    }

    private async Task ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var header = new byte[ChunkedEncryption.HeaderSize];
        var read = await ChunkedEncryption.ReadFullAsync(ciphertext, header, cancellationToken);
        if (read < header.Length || !header.AsSpan(0, 4).SequenceEqual(ChunkedEncryption.Magic))
            throw new BackupDamagedException(name, "it does not start like an encrypted backup file");
        if (header[4] != ChunkedEncryption.FormatVersion)
            throw new BackupDamagedException(name, $"format version {header[4]} is not one this release reads ({ChunkedEncryption.FormatVersion})");
        _header = header;
    }

    private async Task OpenNextChunkAsync(CancellationToken cancellationToken)
    {
        var length = _carried + await ChunkedEncryption.ReadFullAsync(ciphertext, _record.AsMemory(_carried), cancellationToken);
        var last = length <= RecordSize;
        _carried = last ? 0 : 1;
        var recordLength = last ? length : RecordSize;
        if (recordLength < ChunkedEncryption.TagSize) throw new BackupDamagedException(name, $"it ends inside chunk {_index}");
        var plainLength = recordLength - ChunkedEncryption.TagSize;
        try
        {
            _aes.Decrypt(ChunkedEncryption.Nonce(_header, _index), _record.AsSpan(0, plainLength),
                _record.AsSpan(plainLength, ChunkedEncryption.TagSize), _plain.AsSpan(0, plainLength),
                ChunkedEncryption.AssociatedData(_header, name, _index, last));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new BackupDamagedException(name, $"chunk {_index} does not authenticate" + (last ? " (or the file was cut short)" : ""));
        }
        if (!last) _record[0] = _record[RecordSize];
        (_plainStart, _plainEnd) = (0, plainLength);
        _index++;
        _finished = last;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            ciphertext.Dispose();
        }
        base.Dispose(disposing);
    }
}
