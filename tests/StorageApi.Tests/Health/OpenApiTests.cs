using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Health;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        await using var service = await RunningService.StartAsync();

        var document = JsonDocument.Parse(await service.Anonymous.GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths");
        var endpoints = service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != "/openapi/{documentName}.json")
            .ToList();
        endpoints.Count.ShouldBeGreaterThan(15);
        foreach (var endpoint in endpoints)
        {
            var path = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            paths.TryGetProperty(path, out var item).ShouldBeTrue($"{path} is missing from the OpenAPI document");
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods;
            foreach (var method in methods)
                item.TryGetProperty(method.ToLowerInvariant(), out var operation).ShouldBeTrue($"{method} {path} is missing");
        }
        paths.GetProperty("/v1/objects").GetProperty("post").GetProperty("summary").GetString().ShouldNotBeNullOrEmpty();
    }
}
