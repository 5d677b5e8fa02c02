namespace StorageApi.Data;

/// <summary>
/// The searchable text of an object, one row per object. On SQLite the FTS5 table <c>ObjectKeywords</c> indexes these
/// rows as its external content, kept in step by triggers (see the AddSearch migration).
/// </summary>
public sealed class ObjectText
{
    /// <summary>An integer key, because FTS5 addresses its rows by integer; never shown outside.</summary>
    public long RowId { get; init; }
    public required string TenantId { get; init; }
    public required string ObjectId { get; init; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string Tags { get; set; } = "";
    public string Collection { get; set; } = "";
    public string Filename { get; set; } = "";
    public string Metadata { get; set; } = "";
    public string Content { get; set; } = "";
}
