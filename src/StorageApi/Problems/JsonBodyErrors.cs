using System.Text.Json;
using System.Text.RegularExpressions;

namespace StorageApi.Problems;

/// <summary>
/// Says what is wrong with a JSON request body in the API's words: the field by its JSON name and the kind of value it
/// takes, instead of the serializer's .NET type names.
/// </summary>
public static partial class JsonBodyErrors
{
    public static string Describe(JsonException exception)
    {
        if (WrongType().Match(exception.Message) is not { Success: true } match || KindOf(match.Groups["type"].Value) is not { } kind)
            return $"The JSON body is not valid: {exception.Message}";
        var field = exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        return field is null ? $"The JSON body must be {kind}." : $"'{field}' must be {kind}.";
    }

    /// <summary>The kind of JSON value a .NET type is read from, or null for types a client would not recognise.</summary>
    private static string? KindOf(string type)
    {
        var nullable = Nullable().Match(type);
        var inner = nullable.Success ? nullable.Groups["inner"].Value : type;
        string? kind = inner switch
        {
            "System.Byte" or "System.Int16" or "System.Int32" or "System.Int64" or "System.UInt16" or "System.UInt32" or "System.UInt64" =>
                "a whole number, written without quotes",
            "System.Single" or "System.Double" or "System.Decimal" => "a number, written without quotes",
            "System.Boolean" => "true or false, written without quotes",
            "System.String" => "a string",
            "System.DateTime" or "System.DateTimeOffset" => "an ISO 8601 date-time string",
            _ => null,
        };
        return kind is not null && nullable.Success ? $"{kind}, or null" : kind;
    }

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.? Path:")]
    private static partial Regex WrongType();

    [GeneratedRegex(@"^System\.Nullable`1\[\[?(?<inner>[^,\]]+)")]
    private static partial Regex Nullable();
}
