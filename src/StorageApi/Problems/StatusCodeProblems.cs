namespace StorageApi.Problems;

/// <summary>
/// Words for the error responses the framework produces without saying why (an unknown path, a method the path does not
/// take, a body type the endpoint does not accept, a body too large or too slow, a range outside the bytes), so they read like every other problem.
/// </summary>
public static class StatusCodeProblems
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Status is not { } status || problem.Detail is not null) return; // the service's own problems say why already
        if (ApiProblemExceptionHandler.TitleFor(status) is var title && title != "Error") problem.Title = title;
        problem.Detail = status switch
        {
            StatusCodes.Status404NotFound => "Nothing is served at this path; the API is described at /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => context.HttpContext.Response.Headers.Allow is { Count: > 0 } allow
                ? $"This path does not take {context.HttpContext.Request.Method}; it takes {string.Join(", ", allow.ToArray())}."
                : $"This path does not take {context.HttpContext.Request.Method}.",
            StatusCodes.Status416RangeNotSatisfiable => "The Range asks for bytes the object does not have; Content-Range gives its size.",
            _ => RequestReadProblems.Detail(context.HttpContext, status),
        };
    }
}
