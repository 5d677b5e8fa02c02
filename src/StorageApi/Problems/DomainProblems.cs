using StorageApi.Errors;

namespace StorageApi.Problems;

/// <summary>The status and title of each domain error's problem response: the one place where they meet HTTP.</summary>
public static class DomainProblems
{
    public static (int Status, string Title) For(DomainException exception) => exception switch
    {
        InvalidValueException => (StatusCodes.Status400BadRequest, "Bad request"),
        LinkNotValidException => (StatusCodes.Status403Forbidden, "Forbidden"),
        NotFoundException => (StatusCodes.Status404NotFound, "Not found"),
        AlreadyExistsException => (StatusCodes.Status409Conflict, "Conflict"),
        LinkExpiredException => (StatusCodes.Status410Gone, "Gone"),
        TooLargeException => (StatusCodes.Status413PayloadTooLarge, "Payload too large"),
        EmbedderUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Service unavailable"),
        _ => (StatusCodes.Status400BadRequest, "Bad request"),
    };
}
