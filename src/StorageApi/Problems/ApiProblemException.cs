namespace StorageApi.Problems;

/// <summary>A request that cannot be served as asked, found at the HTTP edge (headers, query, body shape). Becomes an RFC 7807 problem response.</summary>
public sealed class ApiProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    /// <summary>Response headers that belong to this problem (set after the error handler has cleared the response).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Members added to the problem body, for what a client should read without parsing the detail.</summary>
    public Dictionary<string, object?> Extensions { get; } = new(StringComparer.Ordinal);

    public static ApiProblemException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);
    public static ApiProblemException TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Payload too large", detail);
    public static ApiProblemException UnsupportedMediaType(string detail) => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);
    public static ApiProblemException Unauthorized(string detail) =>
        new(StatusCodes.Status401Unauthorized, "Unauthorized", detail) { Headers = { ["WWW-Authenticate"] = "Bearer" } };
}
