using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.ObjectStores;
using StorageApi.Objects;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>
/// A blob store belongs to the instance that used it first. Another instance pointed at it (staging configured with
/// production's bucket) is not ready, stores nothing there and sweeps nothing there: it has no rows for those bytes,
/// so its orphan sweeper would otherwise delete all of them.
/// </summary>
public sealed class StoreOwnershipTests
{
    [Fact]
    public async Task Another_instance_pointed_at_a_store_is_refused_and_deletes_nothing()
    {
        await using var owner = await RunningService.StartAsync();
        var acme = await owner.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("kept.txt", "the owner's bytes")).GetProperty("id").GetString();
        var url = owner.Settings.BlobStoreUrl;
        await using var intruder = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            [StorageApi.Configuration.KnownVariables.BlobStoreUrl] = url.IsS3 ? url.Text : "file://" + url.Folder,
        });
        var intruderAcme = await intruder.CreateTenantAsync("acme"); // the same tenant id, its own database

        var ready = await intruder.Admin.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("blobStore")
            .GetProperty("description").GetString()!.ShouldContain("belongs to another instance");
        await (await intruderAcme.Http.PostAsync("/v1/objects", Uploads.Multipart("x.txt", "x"u8.ToArray()))).ShouldBeProblemAsync(503);
        await Should.ThrowAsync<ObjectStoreUnavailableException>(() =>
            intruder.Services.GetRequiredService<OrphanSweeper>().SweepOnceAsync(CancellationToken.None));

        (await acme.Http.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("the owner's bytes");
        owner.BlobFiles().Count.ShouldBe(1);
    }
}
