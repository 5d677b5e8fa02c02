using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using StorageApi.Configuration;
using StorageApi.Problems;
using StorageApi.Search;

namespace StorageApi.Objects;

/// <summary>An upload that has been streamed to a staging file, with its name, type, metadata and the text search reads (null: not text).</summary>
public sealed record ReceivedUpload(StagedBlob Blob, string Filename, string ContentType, ObjectFields Fields, string? Text);

/// <summary>
/// Reads an upload without buffering it: <c>multipart/form-data</c> with a <c>file</c> part and optional fields,
/// or a raw body with <c>?filename=</c> (fields as query parameters). The size limit is enforced while streaming.
/// </summary>
public sealed class UploadReceiver(BlobStore blobs, StorageSettings settings)
{
    private const int MaxFieldBytes = 64 * 1024;
    private const long MultipartOverheadBytes = 1024 * 1024;
    // The reader hands out at most one buffer per read and scans each for the boundary: its 4 KiB default made a 2 GiB
    // upload half a million small reads, hashes and writes.
    private const int MultipartBufferBytes = 64 * 1024;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private long AllowedBodyBytes => settings.MaxUploadBytes + MultipartOverheadBytes;

    /// <summary>Refuses a body whose declared length is over the limit, before anything of it is read.</summary>
    public void RefuseDeclaredOversize(HttpRequest request)
    {
        if (request.ContentLength > AllowedBodyBytes)
            throw ApiProblemException.TooLarge($"The upload is {request.ContentLength} bytes; the limit is {settings.MaxUploadBytes} bytes.");
    }

    public async Task<ReceivedUpload> ReceiveAsync(HttpRequest request, string tenantId, CancellationToken cancellationToken)
    {
        RefuseDeclaredOversize(request);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = AllowedBodyBytes;

        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        if (string.Equals(mediaType, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return await ReceiveMultipartAsync(request, tenantId, parsed!, cancellationToken);
        if (mediaType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true || !request.Query.ContainsKey("filename"))
            throw ApiProblemException.UnsupportedMediaType(
                "Upload as multipart/form-data with a 'file' part, or send the raw bytes with ?filename=name.ext.");
        return await ReceiveRawAsync(request, tenantId, cancellationToken);
    }

    private async Task<ReceivedUpload> ReceiveRawAsync(HttpRequest request, string tenantId, CancellationToken cancellationToken)
    {
        var fields = new ObjectFields();
        string? filename = null;
        foreach (var (name, values) in request.Query)
        {
            if (values.Count != 1) throw ApiProblemException.BadRequest($"The parameter '{name}' is given more than once.");
            if (name == "filename") filename = ObjectFieldRules.Filename(values[0]);
            else fields.Set(name, values[0] ?? "");
        }
        var contentType = ContentTypeFor(filename!, request.ContentType);
        var text = TextCapture.For(contentType, filename!);
        var blob = await blobs.StageAsync(tenantId, cancellationToken);
        try
        {
            await blob.WriteAsync(request.Body, settings.MaxUploadBytes, text, cancellationToken);
            return new ReceivedUpload(blob, filename!, contentType, fields, text.Text);
        }
        catch
        {
            await blob.DisposeAsync();
            throw;
        }
    }

    private async Task<ReceivedUpload> ReceiveMultipartAsync(HttpRequest request, string tenantId, MediaTypeHeaderValue mediaType, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
            throw ApiProblemException.BadRequest("The multipart/form-data content type has no valid boundary.");

        var reader = new MultipartReader(boundary, request.Body, MultipartBufferBytes) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
        var fields = new ObjectFields();
        StagedBlob? blob = null;
        TextCapture? text = null;
        string? filename = null, contentType = null;
        try
        {
            MultipartSection? section;
            while ((section = await ReadSectionAsync(reader, cancellationToken)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                    throw ApiProblemException.BadRequest("A multipart section has no 'Content-Disposition: form-data; name=…' header.");

                if (name == "file")
                {
                    if (blob is not null) throw ApiProblemException.BadRequest("Send exactly one 'file' part.");
                    var given = disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName;
                    filename = ObjectFieldRules.Filename(HeaderUtilities.RemoveQuotes(given).Value);
                    contentType = ContentTypeFor(filename, section.ContentType);
                    text = TextCapture.For(contentType, filename);
                    blob = await blobs.StageAsync(tenantId, cancellationToken);
                    await CopyAsync(blob, section.Body, text, cancellationToken);
                }
                else
                {
                    fields.Set(name, await ReadFieldAsync(name, section.Body, cancellationToken));
                }
            }
            if (blob is null) throw ApiProblemException.BadRequest("The multipart body has no 'file' part.");
            return new ReceivedUpload(blob, filename!, contentType!, fields, text!.Text);
        }
        catch
        {
            if (blob is not null) await blob.DisposeAsync();
            throw;
        }
    }

    private async Task CopyAsync(StagedBlob blob, Stream body, TextCapture text, CancellationToken cancellationToken)
    {
        try
        {
            await blob.WriteAsync(body, settings.MaxUploadBytes, text, cancellationToken);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw Malformed();
        }
    }

    private static async Task<MultipartSection?> ReadSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw Malformed();
        }
    }

    private static async Task<string> ReadFieldAsync(string name, Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
                length += read;
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw Malformed();
        }
        if (length > MaxFieldBytes) throw ApiProblemException.BadRequest($"The field '{name}' is longer than {MaxFieldBytes} bytes.");
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    // Kestrel's own errors (body too large, client gone) are BadHttpRequestExceptions and keep their status.
    private static bool IsMalformed(Exception e) => e is InvalidDataException || (e is IOException && e is not BadHttpRequestException);

    // The reader's own messages talk about streams and components; say what a client can check instead.
    private static ApiProblemException Malformed() =>
        ApiProblemException.BadRequest("The multipart body is malformed: every part must start with the boundary line and its headers, " +
                                       "at most 16 headers of 16 KiB in all, and the body must end with the closing boundary.");

    private static string ContentTypeFor(string filename, string? declared)
    {
        // curl --data-binary labels everything as a form post; for a named raw upload the name says more.
        var vague = string.IsNullOrWhiteSpace(declared)
            || declared.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            || declared.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        var type = vague
            ? (ContentTypes.TryGetContentType(filename, out var guessed) ? guessed : "application/octet-stream")
            : declared;
        return ObjectFieldRules.ContentType(type);
    }
}
