using System.Text.Json;
using StorageApi.Data;

namespace StorageApi.Objects;

/// <summary>An object's metadata as the API shows it.</summary>
public sealed record ObjectView(
    string Id, string Filename, string ContentType, long Size, string Sha256,
    string? Title, string? Description, IReadOnlyList<string> Tags, string? Collection, bool Public,
    JsonElement? Metadata, DateTime CreatedAt, DateTime UpdatedAt, DateTime? ExpiresAt, string ContentUrl)
{
    public static ObjectView From(StoredObject o) => new(
        o.Id, o.Filename, o.ContentType, o.Size, o.Sha256, o.Title, o.Description, o.Tags, o.Collection, o.IsPublic,
        o.MetadataJson is null ? null : JsonDocument.Parse(o.MetadataJson).RootElement.Clone(),
        o.CreatedAt, o.UpdatedAt, o.ExpiresAt, $"/v1/objects/{o.Id}/content");
}

public sealed record ObjectPage(IReadOnlyList<ObjectView> Items, string? NextCursor);
