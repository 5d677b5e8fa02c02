using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StorageApi.OpenApi;

/// <summary>Every 201 of this API names what it created in <c>Location</c>.</summary>
public sealed class CreatedResponses : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.GetValueOrDefault("201") is not OpenApiResponse created) return Task.CompletedTask;
        created.Headers ??= new Dictionary<string, IOpenApiHeader>();
        created.Headers["Location"] = Schemas.Header("Where the created resource is.", Schemas.Text());
        return Task.CompletedTask;
    }
}
