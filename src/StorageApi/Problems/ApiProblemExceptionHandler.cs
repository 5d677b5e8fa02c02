using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using StorageApi.Errors;
using StorageApi.ObjectStores;
using StorageApi.Observability;

namespace StorageApi.Problems;

/// <summary>The one place where exceptions become problem+json: the domain's errors, our own problems, bad requests seen by the framework, and crashes.</summary>
public sealed partial class ApiProblemExceptionHandler(IProblemDetailsService problems, ILogger<ApiProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ApiProblemException p => new ProblemDetails { Status = p.Status, Title = p.Title, Detail = p.Message, Extensions = new Dictionary<string, object?>(p.Extensions) },
            DomainException d => DomainProblems.For(d) is var (status, title) ? new ProblemDetails { Status = status, Title = title, Detail = d.Message } : null,
            BadHttpRequestException b => await DescribeAsync(context, b),
            ObjectStoreUnavailableException u => StoreUnavailable(context, u),
            _ => null,
        };
        if (problem is null)
        {
            // The route template, not the path: a path can hold a signed link. The request id is the body's traceId.
            LogUnhandled(logger, exception, context.Request.Method, RequestObservation.RouteOf(context),
                RequestObservation.TenantOf(context.User), RequestObservation.RequestIdOf(context));
            problem = new ProblemDetails { Status = 500, Title = "Internal server error", Detail = "An unexpected error occurred; it has been logged." };
        }
        context.Response.StatusCode = problem.Status!.Value;
        if (exception is ApiProblemException { Headers: var headers })
            foreach (var (name, value) in headers) context.Response.Headers[name] = value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The reason (endpoint, bucket, credentials) goes to the log, not to the client, who can only retry.</summary>
    private ProblemDetails StoreUnavailable(HttpContext context, ObjectStoreUnavailableException exception)
    {
        LogStoreUnavailable(logger, context.Request.Method, RequestObservation.RouteOf(context), RequestObservation.RequestIdOf(context), exception.Message);
        context.Response.Headers.RetryAfter = "5";
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable, Title = "Service unavailable",
            Detail = "The blob store is unavailable; nothing was stored or changed. Try again shortly.",
        };
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Blob store unavailable on {Method} {Route} request={RequestId}: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, string method, string route, string requestId, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Route} tenant={Tenant} request={RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string route, string tenant, string requestId);

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
        503 => "Service unavailable",
        _ => "Error",
    };
}
