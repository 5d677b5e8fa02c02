using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StorageApi.Health;

namespace StorageApi.OpenApi;

/// <summary>The document's title, version (the service's own), tags and servers.</summary>
public sealed class DocumentDescription : IOpenApiDocumentTransformer
{
    /// <summary>A document that is not served over HTTP (<c>storage-api openapi</c>) names no host: relative to where it is served.</summary>
    private static readonly OpenApiServer ServingServer = new() { Url = "/", Description = "The server this document is served by." };

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Objects", "Upload, list, read, change and delete the caller's objects; their bytes; signed download links."),
        ("Search", "Find the caller's objects by meaning and keywords, or by similarity to one of them."),
        ("Admin", "Tenants, their API keys and their rate limits: the admin key only."),
        ("Health", "Probes for load balancers and deploys: no key needed, never rate-limited."),
        ("Operations", "Metrics for monitoring."),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Storage API",
            Version = BuildInfo.Current.Version,
            Summary = "Multi-tenant object storage with metadata and semantic search.",
            Description = "Every request carries a key as `Authorization: Bearer <key>` or `X-API-Key: <key>`, except the health " +
                          "probes, signed links and public objects' content. Errors are `application/problem+json`. Tenant " +
                          "requests are rate-limited (`RateLimit-*` headers; `429` with `Retry-After`). Every GET also answers HEAD " +
                          "with the same status and headers and no body.",
        };
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        // The generator names the server the request came to, with a trailing slash; a URL without one joins paths cleanly.
        var servers = (document.Servers ?? []).Select(s => s.Url?.TrimEnd('/')).Where(u => !string.IsNullOrEmpty(u)).Distinct().ToList();
        document.Servers = servers.Count == 0 ? [ServingServer] : [.. servers.Select(url => new OpenApiServer { Url = url })];
        return Task.CompletedTask;
    }
}
