using System.Text.Json;

namespace StorageApi.Problems;

/// <summary>JSON read by the service itself, with errors in the API's words: where the JSON breaks, never the parser's text.</summary>
public static class JsonBodies
{
    /// <summary>The body as a JSON value; an empty body or broken JSON is a 400 that says where.</summary>
    public static async Task<JsonElement> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken); // Kestrel's body size limit applies while copying
        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), "The body");
    }

    public static JsonElement Parse(ReadOnlyMemory<byte> json, string what)
    {
        if (IsBlank(json.Span)) throw ApiProblemException.BadRequest($"{what} is empty; send a JSON object.");
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw ApiProblemException.BadRequest($"{what} is not valid JSON ({Where(e)}).");
        }
    }

    /// <summary>"line 1, byte 23": where the parser stopped, counted from 1.</summary>
    public static string Where(JsonException e) => $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";

    public static bool IsBlank(ReadOnlySpan<byte> json) => json.Trim(" \t\r\n"u8).IsEmpty;
}
