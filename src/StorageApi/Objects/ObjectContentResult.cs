using Microsoft.Net.Http.Headers;
using StorageApi.Data;
using StorageApi.Errors;
using StorageApi.ObjectStores;
using StorageApi.Problems;
using StorageApi.RateLimiting;

namespace StorageApi.Objects;

/// <summary>
/// An object's bytes: ETag (sha256), Range/206/416, If-None-Match/304 and a safe Content-Disposition. Checked and
/// served when the result runs, after the endpoint's filters (a refused anonymous caller gets its 429 first). Bytes in
/// a folder on this machine are served as a file (<see cref="FileSending"/>); those in S3 as a stream that asks the
/// store for them at the first read. The headers, ranges and conditions are the framework's file handling either way.
/// </summary>
public sealed class ObjectContentResult(ObjectContent content, ObjectStoreFactory stores) : IResult, IServedForTenant
{
    public string TenantId => content.TenantId;

    public async Task ExecuteAsync(HttpContext context)
    {
        IgnoreRangesInOtherUnits(context.Request);
        RejectUnsatisfiableRange(context, content);
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // Uploaded HTML or SVG must never run as this origin's script.
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = content.IsPublic ? "public, max-age=300" : "private, no-cache";
        var store = stores.Open(content.Store);
        var lastModified = new DateTimeOffset(content.CreatedAt);
        var entityTag = new EntityTagHeaderValue($"\"{content.Sha256}\"");
        if (store is FileObjectStore folder)
        {
            try
            {
                await FileSending.SendAsync(context, TypedResults.PhysicalFile(folder.PathOf(content.Key), content.ContentType, fileDownloadName: content.Filename,
                    lastModified: lastModified, entityTag: entityTag, enableRangeProcessing: true));
            }
            catch (FileNotFoundException) when (!context.Response.HasStarted)
            {
                throw new NotFoundException($"Object '{content.Id}'"); // deleted since it was looked up
            }
            return;
        }
        await using var bytes = new BlobReadStream(store, content);
        await TypedResults.Stream(
            bytes,
            content.ContentType,
            fileDownloadName: content.Filename, // encoded by the framework as filename= and filename*=
            lastModified: lastModified,
            entityTag: entityTag,
            enableRangeProcessing: true).ExecuteAsync(context);
    }

    /// <summary>The framework would serve "pages=1-2" as bytes 1-2; RFC 9110 says a range in an unknown unit is ignored.</summary>
    private static void IgnoreRangesInOtherUnits(HttpRequest request)
    {
        if (request.Headers.Range.Count == 0) return;
        if (!RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var range) || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase))
            request.Headers.Remove("Range");
    }

    /// <summary>
    /// The framework answers an unsatisfiable range with an empty 416; we answer with a problem body. Requests with
    /// If-None-Match or If-Range are left to the framework, which evaluates those first. A malformed Range is ignored (RFC 9110).
    /// </summary>
    private static void RejectUnsatisfiableRange(HttpContext context, ObjectContent content)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || request.Headers.IfNoneMatch.Count > 0 || request.Headers.IfRange.Count > 0) return;
        if (!RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var range) || range.Unit != "bytes" || range.Ranges.Count != 1) return;
        var only = range.Ranges.Single();
        var satisfiable = only.From is { } from ? from < content.Size : only.To > 0 && content.Size > 0;
        if (satisfiable) return;
        throw new ApiProblemException(StatusCodes.Status416RangeNotSatisfiable, "Range not satisfiable",
            $"The range '{request.Headers.Range}' lies outside the object's {content.Size} bytes.")
        {
            Headers = { ["Content-Range"] = $"bytes */{content.Size}" },
        };
    }
}
