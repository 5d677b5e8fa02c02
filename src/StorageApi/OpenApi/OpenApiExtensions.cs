using Microsoft.AspNetCore.OpenApi;
using StorageApi.Observability;
using StorageApi.RateLimiting;

namespace StorageApi.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: ASP.NET Core's generator reads the endpoints' metadata, and the
/// transformers in this folder add what metadata cannot say (security, headers, multipart parts, binary content).
/// </summary>
public static class OpenApiExtensions
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddStorageOpenApi(this IServiceCollection services) => services.AddOpenApi(DocumentName, options =>
    {
        options.CreateSchemaReferenceId = type => ObjectMetadataSchema.Describes(type.Type)
            ? ObjectMetadataSchema.Name
            : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddSchemaTransformer<ObjectMetadataSchema>();
        options.AddSchemaTransformer<ProblemSchema>();
        options.AddOperationTransformer<ApiKeySecurity>();
        options.AddOperationTransformer<ContentResponses>();
        options.AddOperationTransformer<RateLimitResponses>();
        options.AddOperationTransformer<CreatedResponses>();
        options.AddOperationTransformer<WriteHoldResponses>();
        // Document transformers run after every operation: /metrics is added by hand, then what applies to all operations.
        options.DescribeMetrics();
        options.AddDocumentTransformer<DocumentDescription>();
        options.AddDocumentTransformer<ApiKeySecurity>();
        options.AddDocumentTransformer<RateLimitResponses>();
        options.AddDocumentTransformer<ObjectPatchRequest>();
        options.AddDocumentTransformer<HeaderSizeResponses>();
        options.AddDocumentTransformer<HeadOperations>();
        // Upload and PATCH declare a Stream body only so that routing accepts their media types; the document describes their real bodies.
        options.AddDocumentTransformer((document, _, _) => Task.FromResult(document.Components?.Schemas?.Remove(nameof(Stream))));
    });

    public static IEndpointConventionBuilder MapStorageOpenApi(this IEndpointRouteBuilder routes) => routes.MapOpenApi().AllowAnonymous().ExemptFromRateLimits();
}
