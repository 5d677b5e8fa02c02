using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StorageApi.OpenApi;

/// <summary>
/// Every GET also answers HEAD (see <c>Routing/HeadRequests</c>), and the generator lists HEAD as a copy of the GET:
/// this gives it an operation id of its own and takes the bodies out of its responses, keeping status codes and headers.
/// </summary>
public sealed class HeadOperations : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var path in (document.Paths ?? []).Values)
        {
            if (path.Operations?.GetValueOrDefault(HttpMethod.Head) is not { } head) continue;
            head.OperationId += "Headers";
            head.Summary = $"Headers only: {head.Summary}";
            head.Description = "The same status and headers as GET, without a body.";
            if (head.Responses is null) continue;
            foreach (var status in head.Responses.Keys.ToList())
            {
                var response = head.Responses[status];
                head.Responses[status] = new OpenApiResponse
                {
                    Description = response.Description,
                    Headers = response.Headers is null ? null : new Dictionary<string, IOpenApiHeader>(response.Headers),
                };
            }
        }
        return Task.CompletedTask;
    }
}
