using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StorageApi.WriteHolds;

namespace StorageApi.OpenApi;

/// <summary>Every operation that could change data answers 503 with Retry-After while writes are held (<see cref="WriteHoldGate"/>).</summary>
public sealed class WriteHoldResponses : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var method = context.Description.HttpMethod ?? "GET";
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || context.Description.ActionDescriptor.EndpointMetadata.Any(m => m is ChangesNothing or ControlsWriteHold)) return Task.CompletedTask;
        (operation.Responses ??= [])["503"] = new OpenApiResponse
        {
            Description = "Writes are held (a move or a restore of the tenant's data): nothing was changed; try again after Retry-After seconds. Reads keep working.",
            Headers = new Dictionary<string, IOpenApiHeader> { [RateLimitResponses.RetryAfter] = new OpenApiHeaderReference(RateLimitResponses.RetryAfter, context.Document!) },
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document!) },
            },
        };
        return Task.CompletedTask;
    }
}
