using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace StorageApi.Problems;

public static class ProblemExtensions
{
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Strict JSON, framework errors thrown (not swallowed) and every error written as problem+json.</summary>
    public static IServiceCollection AddApiProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = StatusCodeProblems.Customize);
        services.AddExceptionHandler<ApiProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => Configure(options.SerializerOptions));
        services.Configure<KestrelServerOptions>(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = DefaultMaxRequestBodyBytes; // uploads raise their own limit
            options.Limits.MaxRequestHeadersTotalSize = RequestHeaderLimit.KestrelMaxTotalBytes;
        });
        return services;
    }

    public static void Configure(JsonSerializerOptions json)
    {
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.RespectNullableAnnotations = true;
        json.RespectRequiredConstructorParameters = true;
        json.AllowDuplicateProperties = false; // readers disagree on which of two equal names wins: refuse, never guess
    }

    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // empty 4xx/5xx (unknown routes, 405, 416 …) get a problem body too
        app.UseRequestHeaderLimit();
        app.UseRereadableJsonBodies();
        return app;
    }
}
