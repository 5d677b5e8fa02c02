using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StorageApi.Problems;

namespace StorageApi.OpenApi;

/// <summary>Any request, to any route, is refused with a 431 problem when its headers are too large: said once, used everywhere.</summary>
public sealed class HeaderSizeResponses : IOpenApiDocumentTransformer
{
    public const string Name = "RequestHeadersTooLarge";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.AddComponent<IOpenApiResponse>(Name, new OpenApiResponse
        {
            Description = $"The request's headers take more than {RequestHeaderLimit.MaxTotalBytes} bytes.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
            },
        });
        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
            (operation.Responses ??= [])["431"] = new OpenApiResponseReference(Name, document);
        return Task.CompletedTask;
    }
}
