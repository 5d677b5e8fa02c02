using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using StorageApi.Data;
using StorageApi.Problems;
using StorageApi.Validation;

namespace StorageApi.Objects;

/// <summary>Validation of every piece of object metadata, whether it arrives as a form field, a query parameter or JSON.</summary>
public static partial class ObjectFieldRules
{
    public const int MaxTtlHours = 24 * 365 * 10;

    /// <summary>A file name is a name, not a path: no separators, no control or invisible formatting characters, no dot-only names.</summary>
    public static string Filename(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw ApiProblemException.BadRequest("A file name is required.");
        VisibleText.Require("The file name", value);
        if (value.Contains('/') || value.Contains('\\') || value.Trim('.').Length == 0)
            throw ApiProblemException.BadRequest($"The file name '{value}' looks like a path; send a plain name such as report.pdf.");
        if (Encoding.UTF8.GetByteCount(value) > ObjectLimits.FilenameBytes)
            throw ApiProblemException.BadRequest($"The file name is longer than {ObjectLimits.FilenameBytes} bytes.");
        return value;
    }

    public static string? Text(string field, string? value, int maxLength)
    {
        if (value is null) return null;
        value = value.Trim();
        if (value.Length > maxLength) throw ApiProblemException.BadRequest($"'{field}' is longer than {maxLength} characters.");
        VisibleText.Require($"'{field}'", value, allowLineBreaks: true);
        return value.Length == 0 ? null : value;
    }

    public static List<string> Tags(IEnumerable<string> values)
    {
        var tags = values.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count > ObjectLimits.TagCount) throw ApiProblemException.BadRequest($"At most {ObjectLimits.TagCount} tags are allowed.");
        foreach (var tag in tags)
        {
            if (tag.Length > ObjectLimits.TagLength || tag.Contains(','))
                throw ApiProblemException.BadRequest($"The tag '{tag}' must be 1-{ObjectLimits.TagLength} characters without commas.");
            VisibleText.Require("A tag", tag);
        }
        return tags;
    }

    public static List<string> CommaSeparatedTags(string value) => Tags(value.Split(','));

    public static string? Collection(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!CollectionPattern().IsMatch(value))
            throw ApiProblemException.BadRequest($"The collection '{value}' must be 1-{ObjectLimits.CollectionLength} letters, digits, '.', '_' or '-', starting with a letter or digit.");
        return value;
    }

    public static bool Boolean(string field, string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "on" or "yes" => true,
        "false" or "0" or "off" or "no" or "" => false,
        _ => throw ApiProblemException.BadRequest($"'{field}' must be true or false."),
    };

    public static int TtlHours(string value) =>
        int.TryParse(value, out var hours) && hours is >= 1 and <= MaxTtlHours
            ? hours
            : throw ApiProblemException.BadRequest($"'ttlHours' must be a whole number of hours from 1 to {MaxTtlHours}.");

    /// <summary>Metadata is a flat JSON object of string, number, boolean or null values; returned re-serialised compactly.</summary>
    public static string? Metadata(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        if (Encoding.UTF8.GetByteCount(json) > ObjectLimits.MetadataBytes)
            throw ApiProblemException.BadRequest($"'metadata' is larger than {ObjectLimits.MetadataBytes} bytes.");
        try
        {
            using var document = JsonDocument.Parse(json);
            return Metadata(document.RootElement);
        }
        catch (JsonException e)
        {
            throw ApiProblemException.BadRequest($"'metadata' is not valid JSON ({JsonBodies.Where(e)}).");
        }
    }

    /// <summary>Keys are unique (a repeated key would be stored as sent, and readers disagree on which value wins) and visible.</summary>
    public static string? Metadata(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != JsonValueKind.Object) throw ApiProblemException.BadRequest("'metadata' must be a JSON object.");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                throw ApiProblemException.BadRequest($"'metadata.{property.Name}' must be a string, number, boolean or null.");
            if (property.Name.Length is 0 or > 100)
                throw ApiProblemException.BadRequest("'metadata' keys must be 1-100 characters.");
            if (!keys.Add(property.Name))
                throw ApiProblemException.BadRequest($"'metadata' has the key '{property.Name}' more than once.");
            VisibleText.Require("A 'metadata' key", property.Name);
            if (property.Value.ValueKind == JsonValueKind.String)
                VisibleText.Require($"'metadata.{property.Name}'", property.Value.GetString()!, allowLineBreaks: true);
        }
        var compact = JsonSerializer.Serialize(element);
        if (Encoding.UTF8.GetByteCount(compact) > ObjectLimits.MetadataBytes)
            throw ApiProblemException.BadRequest($"'metadata' is larger than {ObjectLimits.MetadataBytes} bytes.");
        return compact;
    }

    public static string ContentType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return "application/octet-stream";
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(value, out var parsed) || parsed.MediaType.Value is not { } type || value.Length > 255)
            throw ApiProblemException.BadRequest($"The content type '{value}' is not a valid media type.");
        return value.Trim();
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex CollectionPattern();
}
