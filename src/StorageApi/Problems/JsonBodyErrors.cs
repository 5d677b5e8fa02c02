using System.Text.Json;
using System.Text.RegularExpressions;

namespace StorageApi.Problems;

/// <summary>
/// Says what is wrong with a JSON request body in the API's words: the field by its JSON name and the kind of value it
/// takes and was given, instead of the serializer's .NET type names and byte positions.
/// </summary>
public static partial class JsonBodyErrors
{
    public static string Describe(JsonException exception)
    {
        var field = exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? $"'{path[2..]}'" : "The JSON body";
        return exception.InnerException switch
        {
            InvalidOperationException wrong when WrongKind().Match(wrong.Message) is { Success: true } match =>
                $"{field} must be {Expected(match.Groups["expected"].Value)}, not {Given(match.Groups["given"].Value)}" +
                (match.Groups["expected"].Value == "number" && match.Groups["given"].Value == "String" ? " (write 10, not \"10\")." : "."),
            FormatException => $"{field} must be a whole number within its range.",
            _ => $"The JSON body is not valid: {exception.Message}",
        };
    }

    private static string Expected(string kind) => kind switch
    {
        "number" => "a number",
        "boolean" => "true or false",
        "string" => "a string",
        _ => kind,
    };

    private static string Given(string token) => token switch
    {
        "String" => "a string",
        "Number" => "a number",
        "True" or "False" => "a boolean",
        "StartObject" => "an object",
        "StartArray" => "an array",
        "Null" => "null",
        _ => token,
    };

    [GeneratedRegex(@"token type '(?<given>\w+)' as an? (?<expected>\w+)")]
    private static partial Regex WrongKind();
}
