using StorageApi.Data;

namespace StorageApi.Search;

/// <summary>
/// Keeps the start of an upload as it streams past: as much as search reads of a text-like file, nothing of any other.
/// Its text is then known when the upload is stored, without reading the file again under the blob's lock.
/// </summary>
public sealed class TextCapture
{
    private readonly byte[] _start;
    private int _length;

    private TextCapture(int maxBytes) => _start = new byte[maxBytes];

    /// <summary>A capture for a file of this type and name (see <see cref="TextContent.IsTextLike"/>).</summary>
    public static TextCapture For(string contentType, string filename) =>
        new(TextContent.IsTextLike(contentType, filename) ? SearchLimits.ContentBytes : 0);

    public void Add(ReadOnlySpan<byte> bytes)
    {
        var take = Math.Min(bytes.Length, _start.Length - _length);
        bytes[..take].CopyTo(_start.AsSpan(_length));
        _length += take;
    }

    /// <summary>The text search indexes; null for a file that is not text, by its type and name or by its bytes.</summary>
    public string? Text => _start.Length == 0 ? null : TextContent.Decode(_start.AsSpan(0, _length));
}
