using System.Text;
using System.Text.Json;
using StorageApi.Data;
using StorageApi.Objects;

namespace StorageApi.Search;

/// <summary>
/// An object as search sees it: its title, description, tags, collection, file name, metadata values and, for
/// text-like files, the first 16 KiB of its content. Keyword search indexes the fields; the embedder gets one text.
/// </summary>
public sealed record SearchDocument(
    string TenantId, string ObjectId, string Title, string Description, string Tags, string Collection, string Filename,
    IReadOnlyList<KeyValuePair<string, string>> Metadata, string Content)
{
    /// <summary>Keeps one input within the context of common embedding models (about 4k tokens of English).</summary>
    public const int MaxEmbeddingCharacters = 16_000;

    public static async Task<SearchDocument> ReadAsync(StoredObject stored, BlobStore blobs, CancellationToken cancellationToken)
    {
        var start = TextContent.IsTextLike(stored.ContentType, stored.Filename)
            ? await blobs.ReadStartAsync(stored, SearchLimits.ContentBytes, cancellationToken)
            : null;
        var content = start is null ? null : TextContent.Decode(start);
        return From(stored, content);
    }

    public static SearchDocument From(StoredObject stored, string? content) => new(
        stored.TenantId, stored.Id, stored.Title ?? "", stored.Description ?? "", string.Join(", ", stored.Tags),
        stored.Collection ?? "", stored.Filename, MetadataValues(stored.MetadataJson), content ?? "");

    /// <summary>The metadata values alone: keyword search should not match every object that has an "author" key.</summary>
    public string MetadataText => string.Join(" ", Metadata.Select(m => m.Value));

    /// <summary>One text for the embedder: labelled fields first, then the content, cut to <see cref="MaxEmbeddingCharacters"/>.</summary>
    public string ForEmbedding()
    {
        var text = new StringBuilder();
        void Line(string label, string value)
        {
            if (value.Length > 0) text.Append(label).Append(value).Append('\n');
        }
        Line("", Title);
        Line("", Description);
        Line("tags: ", Tags);
        Line("collection: ", Collection);
        Line("", Filename); // unlabelled: a label every object has would make all of them look alike to the local embedder
        foreach (var (key, value) in Metadata) Line(key + ": ", value);
        if (Content.Length > 0) text.Append('\n').Append(Content);
        if (text.Length <= MaxEmbeddingCharacters) return text.ToString();
        var end = char.IsHighSurrogate(text[MaxEmbeddingCharacters - 1]) ? MaxEmbeddingCharacters - 1 : MaxEmbeddingCharacters;
        return text.ToString(0, end);
    }

    private static List<KeyValuePair<string, string>> MetadataValues(string? json)
    {
        if (json is null) return [];
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind is not JsonValueKind.Null)
            .Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))];
    }
}
