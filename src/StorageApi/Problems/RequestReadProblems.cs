using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace StorageApi.Problems;

/// <summary>
/// A request the framework could not read (Kestrel's limits and timeouts, a JSON body that does not bind), described in
/// the API's words: the framework's own messages name .NET types, parameters and server options that mean nothing to a client.
/// </summary>
public static class RequestReadProblems
{
    /// <summary>Bodies this large are kept to be described again after binding failed; larger ones are 413 anyway.</summary>
    private const int KeptBodyBytes = (int)ProblemExtensions.DefaultMaxRequestBodyBytes;

    private static readonly object BodyTypeKey = new();

    /// <summary>
    /// Keeps the JSON body of an endpoint that binds one, so a body that fails to bind can be read again to say why.
    /// The type is remembered in Items because the exception handler clears the endpoint before it runs.
    /// </summary>
    public static IApplicationBuilder UseRereadableJsonBodies(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (EndpointBodyType(context) is { } type)
        {
            context.Items[BodyTypeKey] = type;
            context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: KeptBodyBytes);
        }
        return next(context);
    });

    public static async Task<(int Status, string Detail)> DescribeAsync(HttpContext context, BadHttpRequestException exception) =>
        Detail(context, exception.StatusCode) is { } detail ? (exception.StatusCode, detail)
        : context.Items[BodyTypeKey] is Type type ? (400, await DescribeBodyAsync(context, type))
        : (exception.StatusCode, "The request could not be read: its body ended early or is malformed.");

    /// <summary>
    /// Why a body was refused by its size, pace or media type. Also used for the bare statuses minimal APIs set when
    /// reading a bound body fails that way, since they swallow the exception.
    /// </summary>
    public static string? Detail(HttpContext context, int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit
            ? $"The request body is larger than the {limit} bytes accepted here."
            : "The request body is larger than accepted here.",
        StatusCodes.Status408RequestTimeout => "The request body arrived too slowly, so the server stopped waiting for it; send it again.",
        StatusCodes.Status415UnsupportedMediaType => "This endpoint takes a JSON body: send it with Content-Type: application/json.",
        _ => null,
    };

    private static async Task<string> DescribeBodyAsync(HttpContext context, Type type)
    {
        var naming = context.RequestServices.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions.PropertyNamingPolicy;
        var shape = BodyShape.Of(type, naming);
        var fallback = $"The body must be {shape.Describe()}.";
        if (!context.Request.Body.CanSeek) return fallback;
        try
        {
            context.Request.Body.Position = 0;
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
            return shape.Mismatch(copy.GetBuffer().AsMemory(0, (int)copy.Length)) ?? fallback;
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException)
        {
            return fallback; // the client is gone or the rest of the body breaks a limit: nothing better to say
        }
    }

    /// <summary>The record a JSON body binds to on this endpoint, or null (uploads and PATCH read their bodies themselves).</summary>
    private static Type? EndpointBodyType(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: { } type } accepts
        && type != typeof(JsonElement) && type != typeof(IFormFile)
        && accepts.ContentTypes.Contains("application/json", StringComparer.OrdinalIgnoreCase)
            ? type
            : null;
}
