using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StorageApi.OpenApi;

/// <summary>
/// The two ways to send a key (<c>Authorization: Bearer</c> and <c>X-API-Key</c>) as security schemes, and on each
/// operation whether it needs one, takes one optionally (public content, /metrics), or none (health, signed links).
/// </summary>
public sealed class ApiKeySecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string Bearer = "bearer";
    public const string ApiKeyHeader = "apiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        const string keys = "A tenant's API key (`sk_…`, from `POST /v1/admin/tenants/{id}/keys`), or the admin key on admin routes.";
        document.AddComponent<IOpenApiSecurityScheme>(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", Description = keys + " Sent as `Authorization: Bearer <key>`.",
        });
        document.AddComponent<IOpenApiSecurityScheme>(ApiKeyHeader, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-API-Key", Description = keys,
        });
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var needsKey = metadata.OfType<IAuthorizeData>().Any();
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        // Anonymous inside a group that requires a key: the handler reads a key when one is sent (public content).
        operation.Security = needsKey && anonymous ? Optional(context.Document!)
            : needsKey ? Required(context.Document!)
            : [new OpenApiSecurityRequirement()];
        return Task.CompletedTask;
    }

    public static List<OpenApiSecurityRequirement> Required(OpenApiDocument document) =>
    [
        new() { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
        new() { [new OpenApiSecuritySchemeReference(ApiKeyHeader, document)] = [] },
    ];

    /// <summary>Either scheme, or none: an empty requirement means "no key".</summary>
    public static List<OpenApiSecurityRequirement> Optional(OpenApiDocument document) => [.. Required(document), new OpenApiSecurityRequirement()];
}
