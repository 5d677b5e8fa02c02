using System.Net;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>DELETE removes the object and its bytes, unless another object of the tenant shares them.</summary>
public sealed class DeleteTests
{
    [Fact]
    public async Task Deleting_an_object_removes_metadata_and_unshared_bytes()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var keep = await acme.Http.UploadTextAsync("keep.txt", "keep");
        var id = (await acme.Http.UploadTextAsync("gone.txt", "gone")).GetProperty("id").GetString();
        service.BlobFiles().Count.ShouldBe(2);

        (await acme.Http.DeleteAsync($"/v1/objects/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await acme.Http.GetAsync($"/v1/objects/{id}")).ShouldBeProblemAsync(404);
        await (await acme.Http.GetAsync($"/v1/objects/{id}/content")).ShouldBeProblemAsync(404);
        await (await acme.Http.DeleteAsync($"/v1/objects/{id}")).ShouldBeProblemAsync(404);
        var sha = keep.GetProperty("sha256").GetString()!;
        service.BlobFiles().ShouldBe([await service.BlobKeyOfAsync("acme", sha)]);
    }

    [Fact]
    public async Task Shared_bytes_stay_until_the_last_object_using_them_is_deleted()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var first = (await acme.Http.UploadTextAsync("one.txt", "shared")).GetProperty("id").GetString();
        var second = (await acme.Http.UploadTextAsync("two.txt", "shared")).GetProperty("id").GetString();

        (await acme.Http.DeleteAsync($"/v1/objects/{first}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        service.BlobFiles().Count.ShouldBe(1);
        (await acme.Http.GetStringAsync($"/v1/objects/{second}/content")).ShouldBe("shared");

        (await acme.Http.DeleteAsync($"/v1/objects/{second}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        service.BlobFiles().ShouldBeEmpty();
    }
}
