using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StorageApi.Data;
using StorageApi.Objects;

namespace StorageApi.OpenApi;

/// <summary>
/// <c>PATCH /v1/objects/{id}</c> reads a JSON merge patch by hand (<see cref="ObjectPatch"/>), so the generator sees no
/// type: this is its schema, with the same fields, limits and nulls, as the <c>ObjectPatch</c> component.
/// </summary>
public sealed class ObjectPatchRequest : IOpenApiDocumentTransformer
{
    public const string Name = "ObjectPatch";
    public static readonly string[] MediaTypes = ["application/merge-patch+json", "application/json"];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.AddComponent<IOpenApiSchema>(Name, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The fields to change: a field left out stays as it is, null clears it. Unknown fields are refused.",
            AdditionalPropertiesAllowed = false,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["title"] = Schemas.Text(ObjectLimits.TitleLength, nullable: true),
                ["description"] = Schemas.Text(ObjectLimits.DescriptionLength, nullable: true),
                ["tags"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array | JsonSchemaType.Null,
                    MaxItems = ObjectLimits.TagCount,
                    Items = Schemas.Text(ObjectLimits.TagLength, pattern: "^[^,]+$"),
                    Description = "The whole new list; null clears it.",
                },
                ["collection"] = Schemas.Text(ObjectLimits.CollectionLength, ObjectFieldRules.CollectionPattern, nullable: true),
                ["public"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Whether the content is served without a key." },
                ["metadata"] = new OpenApiSchema
                {
                    OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, new OpenApiSchemaReference(ObjectMetadataSchema.Name, document)],
                    Description = "Replaces the whole metadata object; null clears it.",
                },
                ["expiresAt"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time",
                    Description = "When the object is deleted by itself: in the future, with an offset; null keeps it.",
                },
            },
        });
        return Task.CompletedTask;
    }

    /// <summary>The request body of the PATCH operation, for its endpoint's own transformer.</summary>
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = MediaTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = new OpenApiSchemaReference(Name, context.Document) }),
        };
        return Task.CompletedTask;
    }
}
