using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace StorageApi.Problems;

/// <summary>The one place where exceptions become problem+json: our own problems, bad requests seen by the framework, and crashes.</summary>
public sealed class ApiProblemExceptionHandler(IProblemDetailsService problems, ILogger<ApiProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ApiProblemException p => new ProblemDetails { Status = p.Status, Title = p.Title, Detail = p.Message, Extensions = new Dictionary<string, object?>(p.Extensions) },
            BadHttpRequestException b => await DescribeAsync(context, b),
            _ => null,
        };
        if (problem is null)
        {
            // The route template, not the path: a path can hold a signed link.
            logger.LogError(exception, "Unhandled error on {Method} {Route}", context.Request.Method, Observability.RequestObservation.RouteOf(context));
            problem = new ProblemDetails { Status = 500, Title = "Internal server error", Detail = "An unexpected error occurred; it has been logged." };
        }
        context.Response.StatusCode = problem.Status!.Value;
        if (exception is ApiProblemException { Headers: var headers })
            foreach (var (name, value) in headers) context.Response.Headers[name] = value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static async Task<ProblemDetails> DescribeAsync(HttpContext context, BadHttpRequestException exception)
    {
        var (status, detail) = await RequestReadProblems.DescribeAsync(context, exception);
        return new ProblemDetails { Status = status, Title = TitleFor(status), Detail = detail };
    }

    public static string TitleFor(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        408 => "Request timeout",
        409 => "Conflict",
        410 => "Gone",
        413 => "Payload too large",
        415 => "Unsupported media type",
        416 => "Range not satisfiable",
        429 => "Too many requests",
        431 => "Request header fields too large",
        _ => "Error",
    };
}
