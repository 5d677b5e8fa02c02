using System.Security.Cryptography;

using StorageApi.ObjectStores;

namespace StorageApi.Backups;

/// <summary>
/// Reads as the encryption (see <see cref="ChunkedEncryption"/>) of <paramref name="plaintext"/>, one chunk at a time,
/// so a blob of any size passes through in bounded memory. One chunk is read ahead to know which chunk is the last.
/// </summary>
public sealed class EncryptingStream(Stream plaintext, byte[] key, string name) : ReadOnlyStream
{
    private readonly AesGcm _aes = new(key, ChunkedEncryption.TagSize);
    private readonly byte[] _header = NewHeader();
    private byte[] _current = new byte[ChunkedEncryption.ChunkSize];
    private byte[] _next = new byte[ChunkedEncryption.ChunkSize];
    private int _currentLength = -1; // -1: nothing read yet
    private readonly byte[] _output = new byte[ChunkedEncryption.ChunkSize + ChunkedEncryption.TagSize];
    private int _outputStart, _outputEnd;
    private long _index;
    private bool _headerSent, _finished;

    private static byte[] NewHeader()
    {
        var header = new byte[ChunkedEncryption.HeaderSize];
        ChunkedEncryption.Magic.CopyTo(header);
        header[4] = ChunkedEncryption.FormatVersion;
        RandomNumberGenerator.Fill(header.AsSpan(5)); // a fresh nonce prefix per file: no nonce is ever used twice with the key
        return header;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_headerSent)
        {
            _headerSent = true;
            _header.CopyTo(_output, 0);
            (_outputStart, _outputEnd) = (0, _header.Length);
        }
        while (_outputStart == _outputEnd && !_finished) await SealNextChunkAsync(cancellationToken);
        var count = Math.Min(buffer.Length, _outputEnd - _outputStart);
        _output.AsMemory(_outputStart, count).CopyTo(buffer);
        _outputStart += count;
        return count;
    }

    private async Task SealNextChunkAsync(CancellationToken cancellationToken)
    {
        if (_currentLength < 0) _currentLength = await ChunkedEncryption.ReadFullAsync(plaintext, _current, cancellationToken);
        // The chunk is the last when nothing follows it: only a short read proves that without reading ahead.
        var nextLength = _currentLength < _current.Length ? 0 : await ChunkedEncryption.ReadFullAsync(plaintext, _next, cancellationToken);
        var last = nextLength == 0;
        _aes.Encrypt(ChunkedEncryption.Nonce(_header, _index), _current.AsSpan(0, _currentLength),
            _output.AsSpan(0, _currentLength), _output.AsSpan(_currentLength, ChunkedEncryption.TagSize),
            ChunkedEncryption.AssociatedData(_header, name, _index, last));
        (_outputStart, _outputEnd) = (0, _currentLength + ChunkedEncryption.TagSize);
        _index++;
        (_current, _next, _currentLength) = (_next, _current, nextLength);
        _finished = last;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            plaintext.Dispose();
        }
        base.Dispose(disposing);
    }
}
