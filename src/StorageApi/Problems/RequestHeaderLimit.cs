namespace StorageApi.Problems;

/// <summary>
/// Rejects oversized request headers with a problem+json 431. Kestrel's own limit is set above this one,
/// because Kestrel answers before any middleware runs and so cannot say what went wrong.
/// </summary>
public static class RequestHeaderLimit
{
    public const int MaxTotalBytes = 32 * 1024;
    public const int KestrelMaxTotalBytes = 64 * 1024;

    public static IApplicationBuilder UseRequestHeaderLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var total = 0;
        foreach (var (name, values) in context.Request.Headers)
            foreach (var value in values) total += name.Length + (value?.Length ?? 0) + 4;
        if (total > MaxTotalBytes)
            throw new ApiProblemException(StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request header fields too large",
                $"The request headers take {total} bytes; at most {MaxTotalBytes} are accepted.");
        await next(context);
    });
}
