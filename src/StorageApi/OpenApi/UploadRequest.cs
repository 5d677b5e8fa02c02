using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StorageApi.Data;
using StorageApi.Objects;

namespace StorageApi.OpenApi;

/// <summary>
/// The upload's body as <see cref="UploadReceiver"/> reads it: multipart/form-data with a <c>file</c> part and optional
/// field parts, or the raw bytes (with the fields as query parameters).
/// </summary>
public static class UploadRequest
{
    public sealed record Field(string Name, string Description, OpenApiSchema Schema);

    /// <summary>The optional fields of an upload, in <see cref="ObjectFields.Names"/>'s order.</summary>
    public static IEnumerable<Field> Fields() =>
    [
        new("title", "A title.", Schemas.Text(ObjectLimits.TitleLength)),
        new("description", "A description.", Schemas.Text(ObjectLimits.DescriptionLength)),
        new("tags", $"Tags, comma-separated: at most {ObjectLimits.TagCount}, each up to {ObjectLimits.TagLength} characters.", Schemas.Text()),
        new("collection", "The collection it belongs to.", Schemas.Text(ObjectLimits.CollectionLength, ObjectFieldRules.CollectionPattern)),
        new("public", "`true` serves the content without a key.", Schemas.Boolean()),
        new("ttlHours", "Delete it by itself after this many hours.", Schemas.WholeNumber(1, ObjectFieldRules.MaxTtlHours)),
        new("metadata", $"Your own fields as a JSON object of strings, numbers, booleans or nulls (at most {ObjectLimits.MetadataBytes} bytes).",
            Schemas.Text()),
    ];

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var parts = new Dictionary<string, IOpenApiSchema> { ["file"] = Schemas.Binary() };
        foreach (var field in Fields())
        {
            field.Schema.Description = field.Description;
            parts[field.Name] = field.Name == "metadata" ? new OpenApiSchemaReference(ObjectMetadataSchema.Name, context.Document) : field.Schema;
        }
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "multipart/form-data with a `file` part (its file name is the object's), or the raw bytes with `?filename=`.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Required = new HashSet<string> { "file" }, Properties = parts },
                    Encoding = new Dictionary<string, OpenApiEncoding> { ["metadata"] = new() { ContentType = "application/json" } },
                },
                ["application/octet-stream"] = new() { Schema = Schemas.Binary() },
            },
        };
        return Task.CompletedTask;
    }
}
