using System.Text.Json;
using StorageApi.Data;
using StorageApi.Problems;

namespace StorageApi.Objects;

/// <summary>
/// A JSON merge patch of an object's metadata: absent fields stay, <c>null</c> clears. Unknown fields and wrong types are errors.
/// </summary>
public sealed class ObjectPatch
{
    private readonly List<Action<StoredObject>> _changes = [];

    public static ObjectPatch Parse(JsonElement body, DateTime now)
    {
        if (body.ValueKind != JsonValueKind.Object) throw ApiProblemException.BadRequest("The body must be a JSON object.");
        var patch = new ObjectPatch();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            // JSON lets a name repeat and readers disagree on which value wins: refuse rather than guess.
            if (!seen.Add(property.Name)) throw ApiProblemException.BadRequest($"The field '{property.Name}' is given more than once.");
            var value = property.Value;
            switch (property.Name)
            {
                case "title":
                    var title = ObjectFieldRules.Text("title", NullableString(property), ObjectLimits.TitleLength);
                    patch._changes.Add(o => o.Title = title);
                    break;
                case "description":
                    var description = ObjectFieldRules.Text("description", NullableString(property), ObjectLimits.DescriptionLength);
                    patch._changes.Add(o => o.Description = description);
                    break;
                case "tags":
                    var tags = value.ValueKind == JsonValueKind.Null ? [] : ObjectFieldRules.Tags(StringArray(property));
                    patch._changes.Add(o => o.Tags = tags);
                    break;
                case "collection":
                    var collection = ObjectFieldRules.Collection(NullableString(property));
                    patch._changes.Add(o => o.Collection = collection);
                    break;
                case "public":
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                        throw ApiProblemException.BadRequest("'public' must be true or false.");
                    var isPublic = value.GetBoolean();
                    patch._changes.Add(o => o.IsPublic = isPublic);
                    break;
                case "metadata":
                    var metadata = ObjectFieldRules.Metadata(value);
                    patch._changes.Add(o => o.MetadataJson = metadata);
                    break;
                case "expiresAt":
                    var expiresAt = ExpiresAt(value, now);
                    patch._changes.Add(o => o.ExpiresAt = expiresAt);
                    break;
                default:
                    throw ApiProblemException.BadRequest(
                        $"Unknown field '{property.Name}'. Known fields: title, description, tags, collection, public, metadata, expiresAt.");
            }
        }
        return patch;
    }

    public void ApplyTo(StoredObject target)
    {
        foreach (var change in _changes) change(target);
    }

    private static string? NullableString(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => property.Value.GetString(),
        _ => throw ApiProblemException.BadRequest($"'{property.Name}' must be a string or null."),
    };

    private static IEnumerable<string> StringArray(JsonProperty property)
    {
        if (property.Value.ValueKind != JsonValueKind.Array || property.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            throw ApiProblemException.BadRequest($"'{property.Name}' must be an array of strings or null.");
        return property.Value.EnumerateArray().Select(e => e.GetString()!);
    }

    private static DateTime? ExpiresAt(JsonElement value, DateTime now)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out var at))
            throw ApiProblemException.BadRequest("'expiresAt' must be an ISO 8601 date-time with offset, or null.");
        if (at.UtcDateTime <= now) throw ApiProblemException.BadRequest("'expiresAt' must be in the future; DELETE removes an object now.");
        return at.UtcDateTime;
    }
}
