using StorageApi.Tests.Infrastructure;
using System.Diagnostics;
using System.Text;
using StorageApi.ObjectStores;

namespace StorageApi.Tests.ObjectStores;

/// <summary>What an S3 store says when it cannot do its job: refused credentials, no bucket, a server that went away (and came back).</summary>
public sealed class S3ObjectStoreFaultTests
{
    private const int MiB = 1024 * 1024;
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_wrong_access_key_fails_the_check_saying_the_credentials_were_refused()
    {
        var server = await S3Server.InstanceAsync();
        var bucket = await server.CreateBucketAsync();
        var store = TestS3.Open(server, bucket, settings: TestS3.SettingsFor(server, accessKeyId: "NOT-THE-KEY"));

        var error = await Should.ThrowAsync<ObjectStoreUnavailableException>(() => store.CheckAsync(None));

        error.Message.ShouldContain($"s3://{bucket}/blobs");
        error.Message.ShouldContain("credentials refused");
        error.Message.ShouldContain("InvalidAccessKeyId");
        (await Should.ThrowAsync<ObjectStoreUnavailableException>(() => store.PutAsync("acme/aa/x", Stream.Null, None)))
            .Message.ShouldContain("credentials refused");
    }

    [Fact]
    public async Task A_missing_bucket_fails_the_check_naming_the_bucket()
    {
        var server = await S3Server.InstanceAsync();
        var store = TestS3.Open(server, "no-such-bucket");

        var error = await Should.ThrowAsync<ObjectStoreUnavailableException>(() => store.CheckAsync(None));

        error.Message.ShouldContain("bucket no-such-bucket does not exist");
        (await Should.ThrowAsync<ObjectStoreUnavailableException>(() => store.PutAsync("acme/aa/x", new GeneratedStream(20L * MiB), None)))
            .Message.ShouldContain("bucket no-such-bucket does not exist");
        (await Should.ThrowAsync<ObjectStoreUnavailableException>(() => store.OpenReadAsync("acme/aa/x", 0, None)))
            .Message.ShouldContain("bucket no-such-bucket does not exist");
    }

    [Fact]
    public async Task A_stopped_server_is_unavailable_within_seconds_and_the_same_store_works_once_it_is_back()
    {
        using var server = await S3Server.StartSeparateAsync();
        var store = TestS3.Open(server, await server.CreateBucketAsync());
        await store.PutAsync("acme/aa/before", new MemoryStream("kept"u8.ToArray()), None);

        server.Stop();
        var clock = Stopwatch.StartNew();
        var check = await Should.ThrowAsync<ObjectStoreUnavailableException>(() => store.CheckAsync(None));
        var put = await Should.ThrowAsync<ObjectStoreUnavailableException>(() => store.PutAsync("acme/aa/during", new MemoryStream("x"u8.ToArray()), None));
        var read = await Should.ThrowAsync<ObjectStoreUnavailableException>(() => store.OpenReadAsync("acme/aa/before", 0, None));
        clock.Stop();

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        check.Message.ShouldContain($"{server.Endpoint} is unreachable");
        put.Message.ShouldContain("is unreachable");
        read.Message.ShouldContain("is unreachable");

        await server.StartAsync();
        await store.CheckAsync(None);
        await store.PutAsync("acme/aa/after", new MemoryStream("back"u8.ToArray()), None);
        (await store.ListAllAsync()).Select(k => k.Key).ShouldBe(["acme/aa/after", "acme/aa/before"]);
        await using var stream = await store.OpenReadAsync("acme/aa/before", 0, None);
        (await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync()).ShouldBe("kept");
    }

    [Fact]
    public async Task A_server_that_stops_during_a_multipart_upload_fails_it_as_unavailable_and_nothing_is_listed_afterwards()
    {
        using var server = await S3Server.StartSeparateAsync();
        var store = TestS3.Open(server, await server.CreateBucketAsync());
        var source = new GeneratedStream(40L * MiB, beforeRead: position => { if (position >= 20 * MiB && server.IsRunning) server.Stop(); });

        var clock = Stopwatch.StartNew();
        var error = await Should.ThrowAsync<ObjectStoreUnavailableException>(() => store.PutAsync("acme/bb/cut", source, None));
        clock.Stop();

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        error.Message.ShouldContain($"s3://");
        await server.StartAsync();
        (await store.ListAllAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Sweeping_on_a_store_without_ListMultipartUploads_removes_nothing_and_does_not_fail()
    {
        // s3rver answers 501 NotImplemented to ListMultipartUploads (and 405 to aborts): tolerated, as some stores do the same.
        var server = await S3Server.InstanceAsync();
        var store = TestS3.Open(server, await server.CreateBucketAsync());
        await Should.ThrowAsync<IOException>(() => store.PutAsync("acme/cc/cut",
            new GeneratedStream(20L * MiB, beforeRead: p => { if (p >= 12 * MiB) throw new IOException("cut"); }), None));

        (await store.DeleteIncompleteAsync(DateTime.UtcNow.AddDays(1), None)).ShouldBe(0);
    }
}
