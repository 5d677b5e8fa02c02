using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Objects;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests;

/// <summary>
/// The S3 store failing under a running service: each test has an s3rver of its own that it stops and starts.
/// A failure is a 503 problem that stores nothing and leaves nothing behind; readiness names the reason; once the
/// store is back, the same process serves again.
/// </summary>
public sealed class S3FaultTests
{
    private static async Task<(S3Server Server, RunningService Service)> StartAsync(ManualClock? clock = null, IDictionary<string, string?>? overrides = null)
    {
        var server = await S3Server.StartSeparateAsync();
        var variables = server.VariablesFor(await server.CreateBucketAsync()).ToDictionary(v => v.Key, v => (string?)v.Value);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) variables[key] = value;
        return (server, await RunningService.StartAsync(variables, clock: clock));
    }

    [Fact]
    public async Task The_service_keeps_its_bytes_in_the_bucket()
    {
        var (server, service) = await StartAsync();
        using var _ = server;
        await using var __ = service;
        var acme = await service.CreateTenantAsync("acme");

        var created = await acme.Http.UploadTextAsync("a.txt", "in the bucket");

        service.Settings.BlobStoreUrl.IsS3.ShouldBeTrue();
        service.BlobFiles().ShouldBe([await service.BlobKeyOfAsync("acme", created.GetProperty("sha256").GetString()!)]);
        Directory.EnumerateFiles(server.Folder, "*", SearchOption.AllDirectories).ShouldContain(f => f.Contains("acme"));
    }

    [Fact]
    public async Task A_store_stopped_during_an_upload_is_a_503_that_stores_nothing_and_leaves_no_orphan()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var (server, service) = await StartAsync(clock);
        using var _ = server;
        await using var __ = service;
        var acme = await service.CreateTenantAsync("acme");

        // 48 MiB in 1 MiB pieces; the store goes away after 20 MiB, while parts are on their way.
        var body = new StreamContent(new PacedStream(48, afterMegabytes: 20, server.Stop));
        var response = await acme.Http.PostAsync("/v1/objects?filename=big.bin", body);

        var problem = await response.ShouldBeProblemAsync(503);
        problem.GetProperty("detail").GetString()!.ShouldContain("nothing was stored");
        response.Headers.RetryAfter.ShouldNotBeNull();
        await server.StartAsync();
        (await acme.Http.GetFromJsonAsync<JsonElement>("/v1/objects")).GetProperty("items").GetArrayLength().ShouldBe(0);
        clock.Advance(TimeSpan.FromDays(2));
        await service.Services.GetRequiredService<OrphanSweeper>().SweepOnceAsync(CancellationToken.None);
        service.BlobFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task Bytes_stored_without_a_row_are_swept_once_a_day_old()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var (server, service) = await StartAsync(clock);
        using var _ = server;
        await using var __ = service;
        var acme = await service.CreateTenantAsync("acme");
        var kept = await acme.Http.UploadTextAsync("kept.txt", "a row refers to me");
        var store = service.Services.GetRequiredService<StorageApi.ObjectStores.ObjectStoreFactory>().Blobs;
        await store.PutAsync(BlobStore.NewKey("acme"), new MemoryStream("no row refers to me"u8.ToArray()), CancellationToken.None);
        // Not a blob key of this service: another instance's store nested under this tenant's prefix, say.
        await store.PutAsync("acme/other-instance/acme/notes.txt", new MemoryStream("not mine"u8.ToArray()), CancellationToken.None);
        service.BlobFiles().Count.ShouldBe(3);
        var sweeper = service.Services.GetRequiredService<OrphanSweeper>();

        (await sweeper.SweepOnceAsync(CancellationToken.None)).ShouldBe(0); // younger than a day: maybe an upload in flight
        clock.Advance(TimeSpan.FromDays(2));
        (await sweeper.SweepOnceAsync(CancellationToken.None)).ShouldBe(1);

        service.BlobFiles().ShouldBe([await service.BlobKeyOfAsync("acme", kept.GetProperty("sha256").GetString()!), "acme/other-instance/acme/notes.txt"], ignoreOrder: true);
        (await acme.Http.GetStringAsync($"/v1/objects/{kept.GetProperty("id").GetString()}/content")).ShouldBe("a row refers to me");
    }

    [Fact]
    public async Task Refused_credentials_make_the_instance_not_ready_with_the_reason_and_uploads_a_503()
    {
        var (server, service) = await StartAsync(overrides: new Dictionary<string, string?> { ["S3_ACCESS_KEY_ID"] = "NOT-A-KEY" });
        using var _ = server;
        await using var __ = service;
        var acme = await service.CreateTenantAsync("acme");

        var ready = await service.Admin.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var check = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("blobStore");
        check.GetProperty("status").GetString().ShouldBe("unhealthy");
        check.GetProperty("description").GetString()!.ShouldContain("credentials refused");
        await (await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("a.txt", "x"u8.ToArray()))).ShouldBeProblemAsync(503);
    }

    [Fact]
    public async Task When_the_store_comes_back_the_same_process_serves_again()
    {
        var (server, service) = await StartAsync();
        using var _ = server;
        await using var __ = service;
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "still here")).GetProperty("id").GetString();

        server.Stop();
        await (await acme.Http.GetAsync($"/v1/objects/{id}/content")).ShouldBeProblemAsync(503);
        var health = await service.Admin.GetAsync("/health");
        health.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var down = await health.Content.ReadFromJsonAsync<JsonElement>();
        down.GetProperty("checks").GetProperty("blobStore").GetProperty("description").GetString()!.ShouldContain("unreachable");

        await server.StartAsync();
        var back = await service.Admin.GetAsync("/health/ready");
        back.StatusCode.ShouldBe(HttpStatusCode.OK, await back.Content.ReadAsStringAsync());
        (await acme.Http.GetStringAsync($"/v1/objects/{id}/content")).ShouldBe("still here");
        await acme.Http.UploadTextAsync("b.txt", "new after the outage");
    }

    /// <summary>A body of whole mebibytes that runs an action once part of it is sent.</summary>
    private sealed class PacedStream(int megabytes, int afterMegabytes, Action action) : Stream
    {
        private const int MiB = 1024 * 1024;
        private long _sent;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_sent == (long)afterMegabytes * MiB) action();
            var n = (int)Math.Min(count, Math.Min(MiB - _sent % MiB, (long)megabytes * MiB - _sent));
            buffer.AsSpan(offset, n).Fill((byte)'x');
            _sent += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _sent; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
