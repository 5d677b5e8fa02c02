using System.Globalization;
using Microsoft.OpenApi;

namespace StorageApi.OpenApi;

/// <summary>Short constructors for the schemas and headers the transformers write by hand.</summary>
public static class Schemas
{
    public static OpenApiSchema Text(int? maxLength = null, string? pattern = null, bool nullable = false) => new()
    {
        Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String, MaxLength = maxLength, Pattern = pattern,
    };

    public static OpenApiSchema WholeNumber(long? minimum = null, long? maximum = null, long? byDefault = null) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = maximum > int.MaxValue ? "int64" : "int32",
        Minimum = minimum?.ToString(CultureInfo.InvariantCulture),
        Maximum = maximum?.ToString(CultureInfo.InvariantCulture),
        Default = byDefault,
    };

    public static OpenApiSchema Boolean() => new() { Type = JsonSchemaType.Boolean };

    /// <summary>Bytes of any kind: <c>format: binary</c> is what client generators map to a stream.</summary>
    public static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };

    public static OpenApiHeader Header(string description, OpenApiSchema schema) => new() { Description = description, Schema = schema };
}
