using System.Net.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StorageApi.Observability;

/// <summary>
/// <c>/metrics</c> is served by the Prometheus exporter, not by a route handler, so the OpenAPI generator cannot see it:
/// this describes it by hand, so the document still lists every endpoint.
/// </summary>
public static class MetricsOpenApi
{
    public static OpenApiOptions DescribeMetrics(this OpenApiOptions options) => options.AddDocumentTransformer((document, _, _) =>
    {
        var operation = new OpenApiOperation
        {
            OperationId = "Metrics",
            Summary = "Prometheus metrics: requests, errors and latency per route and tenant, bytes, objects",
            Description = "For the admin key, or for a scraper on the same machine that does not come through the proxy.",
            Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
            Security = StorageApi.OpenApi.ApiKeySecurity.Optional(document), // a local scraper needs none
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "Prometheus text exposition format",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() },
                },
                ["401"] = new OpenApiResponse { Description = "Neither the admin key nor a direct local caller" },
            },
        };
        document.Paths ??= [];
        document.Paths["/metrics"] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };
        return Task.CompletedTask;
    });
}
