using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StorageApi.Observability;

namespace StorageApi.OpenApi;

/// <summary>
/// The endpoints that serve an object's bytes: binary 200 and 206 bodies with the headers a downloader needs, the
/// conditional and range request headers, and 416.
/// </summary>
public sealed class ContentResponses : IOpenApiOperationTransformer
{
    /// <summary>
    /// The bytes come with the object's own Content-Type, which the document cannot know: it says "bytes", which client
    /// generators turn into a stream (with <c>*/*</c>, Kiota's client drops the body).
    /// </summary>
    private const string Bytes = "application/octet-stream";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<ServesContent>().Any()) return Task.CompletedTask;

        operation.Parameters ??= [];
        operation.Parameters.Add(HeaderParameter("Range", "One range of bytes, e.g. `bytes=0-99`, `bytes=100-` or `bytes=-50`; answered with 206, or 416 when it lies outside the object. Other units are ignored."));
        operation.Parameters.Add(HeaderParameter("If-None-Match", "An ETag from an earlier response: answered with 304 Not Modified, without a body, while it matches (an object's bytes never change)."));
        operation.Parameters.Add(HeaderParameter("If-Range", "An ETag: the Range is honoured only if it still matches."));

        var responses = operation.Responses ??= [];
        responses["200"] = BytesResponse("The whole object, with its own Content-Type and a Content-Disposition that names its file.", partial: false);
        responses["206"] = BytesResponse("The requested range.", partial: true);
        // 304 is said on If-None-Match, not listed as a response: client generators (Kiota) take an operation that may
        // answer 304 as one that returns no body, and their download would throw the bytes away.
        responses.Remove("304");
        if (responses.GetValueOrDefault("416") is OpenApiResponse unsatisfiable)
        {
            unsatisfiable.Description = "The range lies outside the object; Content-Range gives its size.";
            unsatisfiable.Headers ??= new Dictionary<string, IOpenApiHeader>();
            unsatisfiable.Headers["Content-Range"] = Schemas.Header("`bytes */<size>`.", Schemas.Text());
        }
        return Task.CompletedTask;
    }

    private static OpenApiResponse BytesResponse(string description, bool partial)
    {
        var headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Content-Length"] = Schemas.Header(partial ? "Bytes in this range." : "The object's size in bytes.", Schemas.WholeNumber(0, long.MaxValue)),
            ["ETag"] = ETag(),
            ["Accept-Ranges"] = Schemas.Header("`bytes`: ranges may be asked for.", Schemas.Text()),
            ["Last-Modified"] = Schemas.Header("When the object was uploaded.", Schemas.Text()),
        };
        if (partial) headers["Content-Range"] = Schemas.Header("`bytes <first>-<last>/<size>`.", Schemas.Text());
        return new OpenApiResponse
        {
            Description = description,
            Headers = headers,
            Content = new Dictionary<string, OpenApiMediaType> { [Bytes] = new() { Schema = Schemas.Binary() } },
        };
    }

    private static OpenApiHeader ETag() => Schemas.Header("The quoted SHA-256 of the bytes.", Schemas.Text());

    private static OpenApiParameter HeaderParameter(string name, string description) =>
        new() { Name = name, In = ParameterLocation.Header, Description = description, Schema = Schemas.Text() };
}
