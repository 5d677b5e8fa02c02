using System.Buffers.Binary;
using System.Text;

namespace StorageApi.Backups;

/// <summary>
/// The format of every file in a backup: a header ("SABK", format version, 8 random bytes that start every nonce of
/// the file), then the plaintext in chunks of <see cref="ChunkSize"/> bytes, each sealed with AES-256-GCM (ciphertext,
/// then its 16-byte tag); only the last chunk may be shorter, and it may be empty. Each chunk's associated data binds
/// the header, the file's name in the backup, the chunk's index and whether it is the last, so a chunk that is cut
/// off, moved, taken from another file or followed by more is rejected, and so is a file put under another's name.
/// </summary>
public static class ChunkedEncryption
{
    public const int ChunkSize = 1024 * 1024;
    public const int TagSize = 16;
    public const byte FormatVersion = 1;
    public const int NoncePrefixSize = 8;
    public static ReadOnlySpan<byte> Magic => "SABK"u8;
    public const int HeaderSize = 4 + 1 + NoncePrefixSize;

    public static byte[] Nonce(ReadOnlySpan<byte> header, long index)
    {
        if (index > uint.MaxValue) throw new BackupException("a file of more than 4 PiB cannot be backed up");
        var nonce = new byte[12];
        header[(HeaderSize - NoncePrefixSize)..].CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(NoncePrefixSize), (uint)index);
        return nonce;
    }

    public static byte[] AssociatedData(ReadOnlySpan<byte> header, string name, long index, bool last)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var data = new byte[HeaderSize + 4 + nameBytes.Length + 8 + 1];
        header.CopyTo(data);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(HeaderSize), nameBytes.Length);
        nameBytes.CopyTo(data.AsSpan(HeaderSize + 4));
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(HeaderSize + 4 + nameBytes.Length), index);
        data[^1] = last ? (byte)1 : (byte)0;
        return data;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns how many bytes it got.</summary>
    public static async ValueTask<int> ReadFullAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0) break;
            total += read;
        }
        return total;
    }
}
