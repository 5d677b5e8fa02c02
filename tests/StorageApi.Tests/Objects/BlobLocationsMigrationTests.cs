using System.Net;
using StorageApi.Tests.Infrastructure;
using StorageApi.Tests.Search;

namespace StorageApi.Tests.Objects;

/// <summary>
/// Bytes stored before blob rows existed lie in the data folder as blobs/&lt;tenant&gt;/&lt;aa&gt;/&lt;sha256&gt;: the
/// BlobLocations migration records them where they are, so they download, deduplicate and delete as before.
/// </summary>
public sealed class BlobLocationsMigrationTests
{
    [Fact]
    public async Task Bytes_in_the_old_layout_are_found_shared_and_deleted_after_the_migration()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var created = await acme.Http.UploadTextAsync("old.txt", "stored before blob rows");
        var (id, sha) = (created.Id(), created.GetProperty("sha256").GetString()!);
        var blobs = service.Settings.BlobStoreUrl.Folder!;
        var key = await service.BlobKeyOfAsync("acme", sha);

        await service.MigrateToAsync("20261125185131_TenantLimits");
        var oldPath = Path.Combine(blobs, "acme", sha[..2], sha);
        Directory.CreateDirectory(Path.GetDirectoryName(oldPath)!);
        File.Move(Path.Combine(blobs, key), oldPath);
        await service.MigrateToAsync(null);

        (await acme.Http.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("stored before blob rows");
        var twin = (await acme.Http.UploadTextAsync("twin.txt", "stored before blob rows")).Id();
        service.BlobFiles().ShouldBe([$"acme/{sha[..2]}/{sha}"]); // the same bytes again share the old file
        (await acme.Http.DeleteAsync($"/v1/objects/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await acme.Http.DeleteAsync($"/v1/objects/{twin}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        File.Exists(oldPath).ShouldBeFalse();
    }
}
