using StorageApi.Data;
using StorageApi.Errors;

namespace StorageApi.Objects;

/// <summary>The metadata that may accompany an upload, collected from form fields or query parameters.</summary>
public sealed class ObjectFields
{
    public static readonly IReadOnlySet<string> Names =
        new HashSet<string>(["title", "description", "tags", "collection", "public", "ttlHours", "metadata"], StringComparer.Ordinal);

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public string? Title { get; private set; }
    public string? Description { get; private set; }
    public List<string> Tags { get; private set; } = [];
    public string? Collection { get; private set; }
    public bool IsPublic { get; private set; }
    public int? TtlHours { get; private set; }
    public string? MetadataJson { get; private set; }

    /// <summary>Takes one named value; unknown and repeated names are errors, so typos never pass silently.</summary>
    public void Set(string name, string value)
    {
        if (!Names.Contains(name))
            throw new InvalidValueException($"Unknown field '{name}'. Known fields: file, {string.Join(", ", Names)}.");
        if (!_seen.Add(name)) throw new InvalidValueException($"The field '{name}' is given more than once.");
        switch (name)
        {
            case "title": Title = ObjectFieldRules.Text(name, value, ObjectLimits.TitleLength); break;
            case "description": Description = ObjectFieldRules.Text(name, value, ObjectLimits.DescriptionLength); break;
            case "tags": Tags = ObjectFieldRules.CommaSeparatedTags(value); break;
            case "collection": Collection = ObjectFieldRules.Collection(value); break;
            case "public": IsPublic = ObjectFieldRules.Boolean(name, value); break;
            case "ttlHours": TtlHours = ObjectFieldRules.TtlHours(value); break;
            case "metadata": MetadataJson = ObjectFieldRules.Metadata(value); break;
        }
    }
}
