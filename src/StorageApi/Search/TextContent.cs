using System.Text;

namespace StorageApi.Search;

/// <summary>Which files count as text for search, and how much of them is read.</summary>
public static class TextContent
{
    private static readonly HashSet<string> TextMediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/json", "application/xml", "application/x-ndjson", "application/yaml", "application/x-yaml",
        "application/toml", "application/csv", "application/markdown", "application/javascript", "application/sql",
        "application/x-sh", "application/x-tex", "application/rtf",
    };

    // Uploads labelled application/octet-stream still count when their name says text.
    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".md", ".markdown", ".csv", ".tsv", ".json", ".ndjson", ".jsonl", ".xml", ".yaml", ".yml", ".toml",
        ".ini", ".log", ".html", ".htm", ".rst", ".adoc", ".tex", ".sql", ".sh",
    };

    public static bool IsTextLike(string contentType, string filename)
    {
        var media = contentType.Split(';', 2)[0].Trim();
        return media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
            || TextMediaTypes.Contains(media)
            || TextExtensions.Contains(Path.GetExtension(filename));
    }

    /// <summary>
    /// The start of a file as UTF-8 text (a character cut at the end is dropped), or null when it holds NUL bytes,
    /// which text does not.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Contains((byte)0)) return null;
        if (bytes.StartsWith(Encoding.UTF8.Preamble)) bytes = bytes[Encoding.UTF8.Preamble.Length..];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var count = decoder.GetChars(bytes, chars, flush: false); // flush: false keeps a cut character out
        return new string(chars, 0, count);
    }
}
