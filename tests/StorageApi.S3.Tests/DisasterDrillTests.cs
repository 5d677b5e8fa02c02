using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using StorageApi.Tests.Cli;
using StorageApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace StorageApi.Tests;

/// <summary>
/// The host's disk is lost: a production instance (its bytes in the data folder) with 200 objects and uploads that never
/// stop, backed up to an S3 bucket; its data folder and database are deleted; restore-from puts the last snapshot onto a
/// fresh folder. Every object acknowledged before the snapshot downloads with its sha256; the uploads acknowledged after
/// it are the loss the backup interval allows (the RPO), and the drill reports how many.
/// </summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class DisasterDrillTests(PublishedService published, ITestOutputHelper output)
{
    private sealed record Acknowledged(string Id, string Sha256, DateTime At);

    [Fact]
    public async Task A_lost_data_folder_and_database_come_back_from_the_off_host_backup()
    {
        var s3 = await S3Server.InstanceAsync();
        var bucket = await s3.CreateBucketAsync();
        using var production = new ProductionEnvironment();
        var env = production.With(
            ("TENANT_ID", "acme"), ("BACKUP_URL", $"s3://{bucket}/acme"), ("BACKUP_KEY", Convert.ToBase64String(RandomNumberGenerator.GetBytes(36))),
            ("BACKUP_INTERVAL", "1h"), ("S3_ENDPOINT", s3.Endpoint), ("S3_FORCE_PATH_STYLE", "true"),
            ("S3_ACCESS_KEY_ID", S3Server.AccessKeyId), ("S3_SECRET_ACCESS_KEY", S3Server.SecretAccessKey),
            ("RATE_LIMIT_REQUESTS_PER_MINUTE", "1000000"), ("RATE_LIMIT_REQUEST_BURST", "100000")); // the drill checks every object
        var dir = production.WorkingDirectory;
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "acme")).ExitCode.ShouldBe(0);
        var key = (await published.RunAsync(dir, env, "keys", "create", "acme")).Output.Trim();

        var acknowledged = new ConcurrentQueue<Acknowledged>();
        ProcessResult backup;
        await using (var server = await published.StartServerAsync(dir, env))
        {
            server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            for (var i = 0; i < 200; i++) acknowledged.Enqueue(await UploadAsync(server.Http, $"stock-{i}.bin", 1024 + i * 97));
            using var stop = new CancellationTokenSource();
            var uploads = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++) acknowledged.Enqueue(await UploadAsync(server.Http, $"live-{i}.bin", 4096));
            });
            await Task.Delay(TimeSpan.FromSeconds(1));
            backup = await published.RunAsync(dir, env, "backup-now"); // while the server takes uploads
            await Task.Delay(TimeSpan.FromSeconds(1));
            await stop.CancelAsync();
            await uploads;
        } // the server is gone with its host
        backup.ExitCode.ShouldBe(0, backup.ToString());

        Directory.Delete(production.DataDirectory, recursive: true); // the data folder: database and bytes
        var clock = Stopwatch.StartNew();
        var restore = await published.RunAsync(dir, env, "restore-from", $"s3://{bucket}/acme");
        restore.ExitCode.ShouldBe(0, restore.ToString());
        var restoreTime = clock.Elapsed;
        var snapshotTime = DateTime.Parse(restore.Output.Split(" taken ")[1].Split(' ')[0], null, System.Globalization.DateTimeStyles.RoundtripKind).ToUniversalTime();

        await using var restored = await published.StartServerAsync(dir, env);
        restored.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var before = acknowledged.Where(a => a.At < snapshotTime).ToList();
        foreach (var object_ in before)
        {
            var bytes = await restored.Http.GetByteArrayAsync($"/v1/objects/{object_.Id}/content");
            Convert.ToHexStringLower(SHA256.HashData(bytes)).ShouldBe(object_.Sha256, object_.Id);
        }
        var after = acknowledged.Where(a => a.At >= snapshotTime).ToList();
        var lost = 0;
        foreach (var object_ in after)
            if ((await restored.Http.GetAsync($"/v1/objects/{object_.Id}")).StatusCode == HttpStatusCode.NotFound) lost++;

        output.WriteLine($"disaster drill: {acknowledged.Count} uploads acknowledged; snapshot taken {snapshotTime:O}; restored in {restoreTime.TotalSeconds:F1} s; " +
                         $"{before.Count} acknowledged before it all download with their sha256; {lost} of the {after.Count} acknowledged after it were lost (the RPO)");
        before.Count.ShouldBeGreaterThanOrEqualTo(200);
        lost.ShouldBeGreaterThan(0); // uploads went on for a second after the backup, so some must be lost: the drill is not vacuous
        lost.ShouldBeLessThanOrEqualTo(after.Count);
    }

    private static async Task<Acknowledged> UploadAsync(HttpClient http, string filename, int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        var response = await http.PostAsync("/v1/objects", Uploads.Multipart(filename, bytes, "application/octet-stream"));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return new Acknowledged(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!, Convert.ToHexStringLower(SHA256.HashData(bytes)), DateTime.UtcNow);
    }
}
