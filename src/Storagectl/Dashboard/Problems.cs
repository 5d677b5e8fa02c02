using Microsoft.AspNetCore.Http;

namespace Storagectl.Dashboard;

/// <summary>Refusals as RFC 7807 problem+json; a browser (asking for HTML) gets the same words as a small page with a way back.</summary>
public static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        if (context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(Html.Of($"""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{title}</title><link rel="stylesheet" href="/static/dashboard.css"></head>
                <body><main><h1>{title}</h1><p role="alert">{detail}</p><p><a href="/">Back to the dashboard</a></p></main></body></html>
                """).Value);
        }
        return Results.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);
    }
}
