using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StorageApi.Data;

namespace StorageApi.OpenApi;

/// <summary>
/// An object's <c>metadata</c> is held as a <c>JsonElement</c>, which the generator can only describe as "anything" (an
/// empty schema); the API accepts a flat object of strings, numbers, booleans and nulls, so that is what it says.
/// </summary>
public sealed class ObjectMetadataSchema : IOpenApiSchemaTransformer
{
    public const string Name = "ObjectMetadata";

    /// <summary>Metadata is the API's only use of <c>JsonElement</c>.</summary>
    public static bool Describes(Type type) => (Nullable.GetUnderlyingType(type) ?? type) == typeof(System.Text.Json.JsonElement);

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // The generator walks into the schema written here too (same type): only the empty original is replaced.
        if (!Describes(context.JsonTypeInfo.Type) || schema.Type is not null) return Task.CompletedTask;
        schema.Type = JsonSchemaType.Object;
        schema.Description = $"Your own fields: a flat JSON object whose values are strings, numbers, booleans or null; at most {ObjectLimits.MetadataBytes} bytes.";
        schema.AdditionalProperties = new OpenApiSchema
        {
            Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean | JsonSchemaType.Null,
        };
        return Task.CompletedTask;
    }
}
