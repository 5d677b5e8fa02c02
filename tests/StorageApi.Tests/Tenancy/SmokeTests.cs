using System.Net;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Tenancy;

public sealed class SmokeTests
{
    [Fact]
    public async Task A_tenant_uploads_and_downloads_its_file()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var created = await acme.Http.UploadTextAsync("hello.txt", "hello world");
        var content = await acme.Http.GetAsync($"/v1/objects/{created.GetProperty("id").GetString()}/content");
        content.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await content.Content.ReadAsStringAsync()).ShouldBe("hello world");
    }
}
