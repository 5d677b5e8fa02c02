using Microsoft.OpenApi;
using StorageApi.Data;
using StorageApi.Objects;

namespace StorageApi.OpenApi;

/// <summary>
/// The query parameters of the endpoints that parse their query by hand (so unknown names are refused), as the OpenAPI
/// document lists them: the names and ranges come from the parsing code.
/// </summary>
public static class QueryParameters
{
    public static readonly OpenApiParameter[] ListObjects =
    [
        Query("collection", "Only objects in this collection.", Collection()),
        Query("tag", "Only objects with this tag.", Schemas.Text(ObjectLimits.TagLength)),
        Query("contentType", "Only objects of this media type; `type/*` matches a whole type.", Schemas.Text(255)),
        Query("q", "Only objects whose file name, title or description contains this text (any case).", Schemas.Text()),
        Query("limit", "Objects per page.", Schemas.WholeNumber(1, ObjectListQuery.MaxLimit, ObjectListQuery.DefaultLimit)),
        Query("cursor", "`nextCursor` of the previous page.", Schemas.Text()),
    ];

    public static readonly OpenApiParameter[] Search =
    [
        Query("q", "The text to search for.", Schemas.Text(SearchLimits.QueryLength), required: true),
        Query("k", "How many results.", Results()),
        Query("collection", "Only objects in this collection.", Collection()),
        Query("contentType", "Only objects of this media type; `type/*` matches a whole type.", Schemas.Text(255)),
    ];

    public static readonly OpenApiParameter[] Similar = [Query("k", "How many results.", Results())];

    /// <summary>A raw upload's name and fields; with multipart/form-data they are parts of the body instead.</summary>
    public static readonly OpenApiParameter[] RawUpload =
    [
        Query("filename", "The file's name (required with a raw body; its extension gives the type when the body's is application/octet-stream).",
            Schemas.Text()),
        .. UploadRequest.Fields().Select(f => Query(f.Name, f.Description + " (raw body only)", f.Schema)),
    ];

    private static OpenApiSchema Collection() => Schemas.Text(ObjectLimits.CollectionLength, ObjectFieldRules.CollectionPattern);

    private static OpenApiSchema Results() => Schemas.WholeNumber(1, SearchLimits.MaxResults, SearchLimits.DefaultResults);

    private static OpenApiParameter Query(string name, string description, IOpenApiSchema schema, bool required = false) =>
        new() { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema, Required = required };

    /// <summary>Adds the parameters to the endpoint's operation in the OpenAPI document.</summary>
    public static RouteHandlerBuilder WithQueryParameters(this RouteHandlerBuilder endpoint, IReadOnlyList<OpenApiParameter> parameters) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var parameter in parameters) operation.Parameters.Add(parameter);
            return Task.CompletedTask;
        });
}
