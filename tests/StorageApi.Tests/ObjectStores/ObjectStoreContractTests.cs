using StorageApi.Tests.Infrastructure;
using System.Security.Cryptography;
using System.Text;
using StorageApi.ObjectStores;

namespace StorageApi.Tests.ObjectStores;

/// <summary>What every object store does, checked on a folder and on a real S3 server (s3rver on 127.0.0.1).</summary>
public sealed class ObjectStoreContractTests
{
    private const int MiB = 1024 * 1024;
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task Small_bytes_read_back_as_written(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);
        var written = await test.Store.PutAsync("acme/ab/small", new MemoryStream("hello, store"u8.ToArray()), None);

        written.ShouldBe(12);
        (await ReadTextAsync(test.Store, "acme/ab/small")).ShouldBe("hello, store");
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task Bytes_larger_than_a_part_read_back_with_the_same_sha256(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);
        const long size = 20L * MiB + 12345; // three parts, the last one short

        var written = await test.Store.PutAsync("acme/cd/large", new GeneratedStream(size, seed: 7), None);

        written.ShouldBe(size);
        await using var read = await test.Store.OpenReadAsync("acme/cd/large", 0, None);
        Convert.ToHexStringLower(await SHA256.HashDataAsync(read)).ShouldBe(GeneratedStream.Sha256Of(size, seed: 7));
        (await test.Store.ListAllAsync()).Single().Size.ShouldBe(size);
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task An_empty_source_stores_an_empty_object(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);

        (await test.Store.PutAsync("acme/00/empty", Stream.Null, None)).ShouldBe(0);

        (await ReadTextAsync(test.Store, "acme/00/empty")).ShouldBe("");
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task A_put_replaces_what_the_key_held(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);
        await test.Store.PutAsync("acme/ef/key", new MemoryStream("first, longer"u8.ToArray()), None);

        await test.Store.PutAsync("acme/ef/key", new MemoryStream("second"u8.ToArray()), None);

        (await ReadTextAsync(test.Store, "acme/ef/key")).ShouldBe("second");
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task Reading_from_an_offset_returns_the_rest(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        await test.Store.PutAsync("acme/12/ranged", new MemoryStream(bytes), None);

        (await ReadAllAsync(test.Store, "acme/12/ranged", 65_537)).ShouldBe(bytes[65_537..]);
        (await ReadAllAsync(test.Store, "acme/12/ranged", 0)).ShouldBe(bytes);
        (await ReadAllAsync(test.Store, "acme/12/ranged", bytes.Length)).ShouldBeEmpty();
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task Listing_gives_the_keys_under_a_prefix_in_key_order_with_their_sizes(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);
        foreach (var (key, size) in new[] { ("acme/b2/x", 3), ("acme/a1/y", 1), ("acme/a1/x", 2), ("globex/a1/x", 4), ("acme-other/a1/x", 5) })
            await test.Store.PutAsync(key, new MemoryStream(new byte[size]), None);

        var acme = await test.Store.ListAllAsync("acme/");
        acme.Select(k => (k.Key, k.Size)).ShouldBe([("acme/a1/x", 2L), ("acme/a1/y", 1L), ("acme/b2/x", 3L)]);
        acme.ShouldAllBe(k => k.LastModifiedUtc > DateTime.UtcNow.AddMinutes(-5) && k.LastModifiedUtc.Kind == DateTimeKind.Utc);
        (await test.Store.ListAllAsync("acme/a1/")).Select(k => k.Key).ShouldBe(["acme/a1/x", "acme/a1/y"]);
        (await test.Store.ListAllAsync()).Count.ShouldBe(5);
        (await test.Store.ListAllAsync("initech/")).ShouldBeEmpty();
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task A_deleted_key_is_gone_and_deleting_a_missing_key_is_fine(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);
        await test.Store.PutAsync("acme/34/gone", new MemoryStream("x"u8.ToArray()), None);

        await test.Store.DeleteAsync("acme/34/gone", None);
        await test.Store.DeleteAsync("acme/34/gone", None);
        await test.Store.DeleteAsync("acme/99/never-was", None);

        (await test.Store.ListAllAsync()).ShouldBeEmpty();
        await Should.ThrowAsync<ObjectKeyNotFoundException>(() => test.Store.OpenReadAsync("acme/34/gone", 0, None));
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task Reading_a_missing_key_says_it_is_not_found(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);

        var error = await Should.ThrowAsync<ObjectKeyNotFoundException>(() => test.Store.OpenReadAsync("acme/56/missing", 0, None));

        error.Message.ShouldContain("acme/56/missing");
    }

    [Theory]
    [InlineData(StoreKind.File, 1000)]
    [InlineData(StoreKind.S3, 1000)]
    [InlineData(StoreKind.File, 12 * MiB)]
    [InlineData(StoreKind.S3, 12 * MiB)] // after the first part went out: a multipart upload to abort
    public async Task A_source_that_fails_midway_leaves_nothing_and_its_own_exception_propagates(StoreKind kind, int failAt)
    {
        using var test = await TestStore.OpenAsync(kind);
        var cut = new IOException("the client went away");
        var source = new GeneratedStream(20L * MiB, beforeRead: position => { if (position >= failAt) throw cut; });

        var error = await Should.ThrowAsync<IOException>(() => test.Store.PutAsync("acme/78/cut", source, None));

        error.ShouldBeSameAs(cut);
        (await test.Store.ListAllAsync()).ShouldBeEmpty();
        await Should.ThrowAsync<ObjectKeyNotFoundException>(() => test.Store.OpenReadAsync("acme/78/cut", 0, None));
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task A_cancelled_put_leaves_nothing(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);
        using var cancel = new CancellationTokenSource();
        var source = new GeneratedStream(20L * MiB, beforeRead: position => { if (position >= 10 * MiB) cancel.Cancel(); });

        await Should.ThrowAsync<OperationCanceledException>(() => test.Store.PutAsync("acme/9a/cancelled", source, cancel.Token));

        (await test.Store.ListAllAsync()).ShouldBeEmpty();
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task A_reachable_writable_store_passes_the_check_and_keeps_no_probe(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);

        await test.Store.CheckAsync(None);

        (await test.Store.ListAllAsync()).ShouldBeEmpty();
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task Sweeping_incomplete_writes_of_a_clean_store_removes_nothing(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);
        await test.Store.PutAsync("acme/bc/kept", new MemoryStream("x"u8.ToArray()), None);

        (await test.Store.DeleteIncompleteAsync(DateTime.UtcNow.AddMinutes(1), None)).ShouldBe(0);

        (await test.Store.ListAllAsync()).Count.ShouldBe(1);
    }

    [Theory, InlineData(StoreKind.File), InlineData(StoreKind.S3)]
    public async Task Keys_that_could_escape_the_store_are_refused(StoreKind kind)
    {
        using var test = await TestStore.OpenAsync(kind);

        await Should.ThrowAsync<ArgumentException>(() => test.Store.PutAsync("../escape", Stream.Null, None));
        await Should.ThrowAsync<ArgumentException>(() => test.Store.OpenReadAsync("acme/.probe/x", 0, None));
    }

    private static async Task<byte[]> ReadAllAsync(IObjectStore store, string key, long offset)
    {
        await using var stream = await store.OpenReadAsync(key, offset, None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task<string> ReadTextAsync(IObjectStore store, string key) => Encoding.UTF8.GetString(await ReadAllAsync(store, key, 0));
}
