using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Objects;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>
/// Two instances on one data folder (the old and the new slot during a deploy, or instances sharing PostgreSQL):
/// storing bytes waits while another instance decides whether the same bytes are still used, so a delete of the last
/// copy through one can never remove what an upload through the other just relied on.
/// </summary>
public sealed class SharedDataFolderTests
{
    [Fact]
    public async Task Storing_bytes_waits_while_another_instance_holds_their_lock()
    {
        using var shared = new TempFolder();
        await using var first = await RunningService.StartAsync(root: shared.Path);
        await using var second = await RunningService.StartAsync(root: shared.Path);
        var acme = await first.CreateTenantAsync("acme");
        using var throughSecond = second.CreateClient(acme.Key);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("the same bytes")));

        var held = await first.Services.GetRequiredService<BlobStore>().LockAsync("acme", sha256, CancellationToken.None);
        var upload = throughSecond.UploadTextAsync("same.txt", "the same bytes");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        upload.IsCompleted.ShouldBeFalse(); // the other instance holds the bytes' lock
        held.Dispose();
        var id = (await upload.WaitAsync(TimeSpan.FromSeconds(10))).GetProperty("id").GetString()!;

        (await acme.Http.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("the same bytes");
    }
}
