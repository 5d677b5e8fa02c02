using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StorageApi.RateLimiting;

namespace StorageApi.OpenApi;

/// <summary>
/// Operations that can answer 429 are the rate-limited ones: their 2xx responses carry the RateLimit-* headers, and
/// their 429 is a problem with Retry-After, the headers of the limit it hit, and <c>limit</c> and <c>retryAfterSeconds</c>.
/// </summary>
public sealed class RateLimitResponses : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string ProblemSchemaName = "RateLimitProblem";
    public const string RetryAfter = "Retry-After";
    private static readonly string[] LimitHeaders = [RateLimitHeaders.Limit, RateLimitHeaders.Remaining, RateLimitHeaders.Reset];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.AddComponent<IOpenApiHeader>(RateLimitHeaders.Limit, Schemas.Header("The bucket's size: the requests (or bytes) that may come at once.", Schemas.WholeNumber(0)));
        document.AddComponent<IOpenApiHeader>(RateLimitHeaders.Remaining, Schemas.Header("What is left of it now.", Schemas.WholeNumber(0)));
        document.AddComponent<IOpenApiHeader>(RateLimitHeaders.Reset, Schemas.Header("Seconds until it is full again.", Schemas.WholeNumber(0)));
        document.AddComponent<IOpenApiHeader>(RetryAfter, Schemas.Header("Whole seconds to wait before trying again.", Schemas.WholeNumber(0)));
        document.AddComponent<IOpenApiSchema>(ProblemSchemaName, new OpenApiSchema
        {
            AllOf = [new OpenApiSchemaReference("ProblemDetails", document)],
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "limit", "retryAfterSeconds" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["limit"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "The limit that was hit.",
                    Enum = [LimitNames.Requests, LimitNames.AnonymousRequests, LimitNames.UploadBytes, LimitNames.ConcurrentUploads],
                },
                ["retryAfterSeconds"] = Schemas.WholeNumber(0, long.MaxValue),
            },
        });
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var responses = operation.Responses;
        if (responses is null || !responses.ContainsKey("429")) return Task.CompletedTask;
        var document = context.Document!;
        foreach (var (status, response) in responses)
            if (status.StartsWith('2') && response is OpenApiResponse success) AddLimitHeaders(success, document);

        var refused = new OpenApiResponse
        {
            Description = "A rate limit was hit: wait Retry-After seconds.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchemaName, document) },
            },
        };
        AddLimitHeaders(refused, document);
        refused.Headers![RetryAfter] = new OpenApiHeaderReference(RetryAfter, document);
        responses["429"] = refused;
        return Task.CompletedTask;
    }

    private static void AddLimitHeaders(OpenApiResponse response, OpenApiDocument document)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var name in LimitHeaders) response.Headers[name] = new OpenApiHeaderReference(name, document);
    }
}
