namespace StorageApi.Routing;

/// <summary>
/// RFC 9110 asks general-purpose servers to answer HEAD wherever they answer GET, with the same status and headers and
/// no body; download tools probe size and <c>Accept-Ranges</c> that way. Kestrel never sends the body of a HEAD
/// response, so running the GET handler is enough, and a HEAD is authorised and rate-limited exactly as its GET.
/// </summary>
public static class HeadRequests
{
    public static TBuilder AnswerHeadLikeGet<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var metadata = endpoint.Metadata;
            var index = metadata.Count - 1;
            while (index >= 0 && metadata[index] is not IHttpMethodMetadata) index--;
            if (index < 0 || metadata[index] is not IHttpMethodMetadata methods) return;
            if (!methods.HttpMethods.Contains(HttpMethods.Get) || methods.HttpMethods.Contains(HttpMethods.Head)) return;
            metadata[index] = new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight);
        });
        return builder;
    }
}
