using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StorageApi.OpenApi;

/// <summary>
/// Problems carry members beyond RFC 9457's five (<c>traceId</c>, a 429's <c>limit</c>): the generator's
/// <c>additionalProperties: false</c>, inferred from the strict request settings, would call them invalid.
/// </summary>
public sealed class ProblemSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(ProblemDetails)) return Task.CompletedTask;
        schema.AdditionalPropertiesAllowed = true;
        schema.AdditionalProperties = null;
        schema.Description = "An RFC 9457 problem: `title` and `status` always, `detail` says what to change; `traceId` names the request in the logs.";
        return Task.CompletedTask;
    }
}
