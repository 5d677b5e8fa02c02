using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Data;
using StorageApi.Objects;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>
/// Two instances on one database and blob store (the old and the new slot during a deploy, or instances sharing
/// PostgreSQL): "store the same bytes" waits while another instance decides whether those bytes are still used, so a
/// delete of the last copy through one can never remove what an upload through the other relies on. They meet in the
/// database (the blob's row), not through lock files, so it holds for stores without a shared file system too.
/// </summary>
public sealed class SharedDataFolderTests
{
    [Fact]
    public async Task Storing_bytes_waits_while_another_instance_holds_their_row()
    {
        using var shared = new TempFolder();
        await using var first = await RunningService.StartAsync(root: shared.Path);
        await using var second = await RunningService.StartAsync(root: shared.Path);
        var acme = await first.CreateTenantAsync("acme");
        using var throughSecond = second.CreateClient(acme.Key);
        await acme.Http.UploadTextAsync("first.txt", "the same bytes");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("the same bytes")));

        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var held = await UnitOfWork.BeginAsync(db, CancellationToken.None);
        (await BlobReferences.LockAsync(db, "acme", sha256, CancellationToken.None)).ShouldBeTrue();
        var upload = throughSecond.UploadTextAsync("same.txt", "the same bytes");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        upload.IsCompleted.ShouldBeFalse(); // the other instance holds the bytes' row
        await held.DisposeAsync();
        var id = (await upload.WaitAsync(TimeSpan.FromSeconds(30))).GetProperty("id").GetString()!;

        (await acme.Http.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("the same bytes");
    }

    [Fact]
    public async Task Deleting_the_last_copy_through_one_instance_while_the_other_stores_the_same_bytes_loses_nothing()
    {
        using var shared = new TempFolder();
        await using var first = await RunningService.StartAsync(root: shared.Path);
        await using var second = await RunningService.StartAsync(root: shared.Path);
        var acme = await first.CreateTenantAsync("acme");
        using var throughSecond = second.CreateClient(acme.Key);

        for (var round = 0; round < 15; round++)
        {
            var text = $"contested bytes {round}";
            var old = (await acme.Http.UploadTextAsync("old.txt", text)).GetProperty("id").GetString();
            var delete = acme.Http.DeleteAsync($"/v1/objects/{old}");
            var upload = throughSecond.UploadTextAsync("new.txt", text);
            (await delete).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            var kept = (await upload).GetProperty("id").GetString();

            (await acme.Http.GetStringAsync($"/v1/objects/{kept}/content")).ShouldBe(text, $"round {round}");
        }
        first.BlobFiles().Count.ShouldBe(15); // one copy of each round's bytes, no leftovers
    }
}
