namespace StorageApi.Objects;

/// <summary>Refuses an upload whose declared length is over the limit before admission: a 413 says more than a 429 followed by a 413.</summary>
public sealed class DeclaredSizeCheck(UploadReceiver receiver) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        receiver.RefuseDeclaredOversize(context.HttpContext.Request);
        return next(context);
    }
}
