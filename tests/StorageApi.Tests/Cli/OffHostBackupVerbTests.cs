using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using StorageApi.Tests.Backups;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>`storage-api backup-now`, `backups list` and `restore-from` as an operator runs them: the published binary, a production configuration.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class OffHostBackupVerbTests(PublishedService published)
{
    [Fact]
    public async Task Backup_now_list_and_restore_from_into_a_fresh_host_and_a_wrong_key_is_one_line()
    {
        using var backups = new BackupTesting();
        using var production = new ProductionEnvironment();
        var env = production.With(("BACKUP_URL", backups.Target), ("BACKUP_KEY", backups.Key));
        var dir = production.WorkingDirectory;
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "acme")).ExitCode.ShouldBe(0);
        var tenantKey = (await published.RunAsync(dir, env, "keys", "create", "acme")).Output.Trim();
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        await using (var server = await published.StartServerAsync(dir, env))
        {
            using var upload = new HttpRequestMessage(HttpMethod.Post, "/v1/objects") { Content = Uploads.Multipart("a.bin", bytes) };
            upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
            (await server.Http.SendAsync(upload)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var backup = await published.RunAsync(dir, env, "backup-now");
        var again = await published.RunAsync(dir, env, "backup-now");
        var list = await published.RunAsync(dir, env, "backups", "list");
        var wrongKey = await published.RunAsync(dir, production.With(("BACKUP_URL", backups.Target), ("BACKUP_KEY", BackupTesting.NewKey())), "backups", "list");

        backup.ExitCode.ShouldBe(0, backup.Errors);
        backup.Output.ShouldContain("objects 1, blobs uploaded 1, skipped 0");
        again.Output.ShouldContain("objects 1, blobs uploaded 0, skipped 1");
        again.Output.ShouldContain("retention removed 1 snapshots and 0 blobs"); // only the newest of this hour is kept
        list.ExitCode.ShouldBe(0, list.Errors);
        var lines = list.Output.Trim().Split('\n');
        lines.Length.ShouldBe(1);
        lines[0].ShouldStartWith(again.Output.Split(' ')[1]);
        lines[0].ShouldEndWith($"\t{PublishedService.Version}+{PublishedService.Commit}\t1 objects\t200000 bytes");
        wrongKey.ExitCode.ShouldBe(1);
        wrongKey.Output.ShouldBeEmpty();
        wrongKey.Errors.Trim().ShouldBe($"error: BACKUP_KEY does not match the key these backups were made with (file://{backups.Target})");

        using var fresh = new ProductionEnvironment();
        var freshEnv = fresh.With(("BACKUP_URL", backups.Target), ("BACKUP_KEY", backups.Key));
        var restore = await published.RunAsync(fresh.WorkingDirectory, freshEnv, "restore-from", backups.Target, "--at", DateTime.UtcNow.ToString("O"));
        var refused = await published.RunAsync(fresh.WorkingDirectory, freshEnv, "restore-from", backups.Target);

        restore.ExitCode.ShouldBe(0, restore.Errors);
        restore.Output.ShouldContain("1 objects, 1 blobs (200000 bytes), every sha256 verified");
        refused.ExitCode.ShouldBe(1);
        refused.Errors.ShouldContain("is not empty");
        await using var restored = await published.StartServerAsync(fresh.WorkingDirectory, freshEnv);
        restored.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
        var listed = System.Text.Json.JsonDocument.Parse(await restored.Http.GetStringAsync("/v1/objects")).RootElement.GetProperty("items")[0];
        listed.GetProperty("filename").GetString().ShouldBe("a.bin");
        (await restored.Http.GetByteArrayAsync($"/v1/objects/{listed.GetProperty("id").GetString()}/content")).ShouldBe(bytes);
    }

    /// <summary>An operator's (or storagectl's) backup-now while the instance's scheduled backup holds the lease waits for it, then runs.</summary>
    [Fact]
    public async Task Backup_now_waits_for_a_running_backup_instead_of_failing()
    {
        using var backups = new BackupTesting();
        using var production = new ProductionEnvironment();
        var env = production.With(("BACKUP_URL", backups.Target), ("BACKUP_KEY", backups.Key));
        (await published.RunAsync(production.WorkingDirectory, env, "migrate")).ExitCode.ShouldBe(0);
        // The lease as a running backup of another instance holds it, for ten more minutes.
        await SqlAsync(production, $"INSERT INTO \"InstanceFacts\" (\"Name\", \"Value\") VALUES ('backup-lease', 'scheduled-elsewhere|{DateTime.UtcNow.AddMinutes(10).Ticks}')");

        var backup = published.RunAsync(production.WorkingDirectory, env, "backup-now");
        await Task.Delay(TimeSpan.FromSeconds(3));
        backup.IsCompleted.ShouldBeFalse("backup-now waits while the lease is held");
        await SqlAsync(production, "DELETE FROM \"InstanceFacts\" WHERE \"Name\" = 'backup-lease'"); // that backup ended
        var result = await backup;

        result.ExitCode.ShouldBe(0, result.Errors);
        result.Errors.ShouldContain("another backup is running (scheduled-elsewhere until");
        result.Errors.ShouldContain("waiting for it to end");
        result.Output.ShouldContain("objects 0");
    }

    private static async Task SqlAsync(ProductionEnvironment production, string sql)
    {
        await using var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={production.DatabaseFile};Pooling=false");
        await database.OpenAsync();
        await using var command = database.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
