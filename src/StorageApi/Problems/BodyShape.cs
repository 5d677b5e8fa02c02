using System.Reflection;
using System.Text.Json;

namespace StorageApi.Problems;

/// <summary>
/// What a JSON body bound to a record must look like, read from the record's constructor: field names as clients
/// write them, what each holds, and which are required. Used to say what is wrong with a body the framework refused,
/// in the API's words rather than the serializer's (which name .NET types).
/// </summary>
public sealed class BodyShape
{
    private sealed record Field(string Name, Type Type, bool Nullable, bool Required)
    {
        public string Kind => (Type == typeof(int) || Type == typeof(long) ? "a whole number"
            : Type == typeof(string) ? "a string"
            : Type == typeof(bool) ? "true or false"
            : "a value") + (Nullable ? " or null" : "");

        public bool Accepts(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Null => Nullable,
            JsonValueKind.Number when Type == typeof(int) => value.TryGetInt32(out _),
            JsonValueKind.Number when Type == typeof(long) => value.TryGetInt64(out _),
            JsonValueKind.String => Type == typeof(string),
            JsonValueKind.True or JsonValueKind.False => Type == typeof(bool),
            _ => false,
        };
    }

    private readonly IReadOnlyList<Field> _fields;

    private BodyShape(IReadOnlyList<Field> fields) => _fields = fields;

    public static BodyShape Of(Type type, JsonNamingPolicy? naming)
    {
        var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length);
        var nullability = new NullabilityInfoContext();
        var fields = (constructor?.GetParameters() ?? []).Select(p => new Field(
            naming?.ConvertName(p.Name!) ?? p.Name!,
            System.Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType,
            System.Nullable.GetUnderlyingType(p.ParameterType) is not null || nullability.Create(p).WriteState == NullabilityState.Nullable,
            !p.HasDefaultValue)).ToList();
        return new BodyShape(fields);
    }

    /// <summary>"a JSON object with id (a string, required), name (a string, required)".</summary>
    public string Describe() => _fields.Count == 0 ? "a JSON object"
        : "a JSON object with " + string.Join(", ", _fields.Select(f => $"{f.Name} ({f.Kind}{(f.Required ? ", required" : "")})"));

    /// <summary>What is wrong with <paramref name="body"/> for this shape, or null when nothing is.</summary>
    public string? Mismatch(ReadOnlyMemory<byte> body)
    {
        if (JsonBodies.IsBlank(body.Span)) return $"The request needs a body: {Describe()}.";
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return $"The body is not valid JSON ({JsonBodies.Where(e)}).";
        }
        if (root.ValueKind != JsonValueKind.Object) return $"The body must be {Describe()}.";

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // names bind case-insensitively
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name)) return $"The field '{property.Name}' is given more than once.";
            var field = _fields.FirstOrDefault(f => string.Equals(f.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            if (field is null) return $"Unknown field '{property.Name}'. The body must be {Describe()}.";
            if (!field.Accepts(property.Value)) return $"'{field.Name}' must be {field.Kind}.";
        }
        return _fields.FirstOrDefault(f => f.Required && !seen.Contains(f.Name)) is { } missing
            ? $"'{missing.Name}' is required: {missing.Kind}."
            : null;
    }
}
