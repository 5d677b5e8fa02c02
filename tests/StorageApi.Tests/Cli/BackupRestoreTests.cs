using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>`storage-api backup` and `restore` while the server runs: a backup is a consistent SQLite file, a restore is all or nothing.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class BackupRestoreTests(PublishedService published)
{
    [Fact]
    public async Task A_backup_taken_while_the_server_writes_is_a_consistent_database_with_the_tenant_and_its_object()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "acme", "--name", "Acme")).ExitCode.ShouldBe(0);
        var tenantKey = (await published.RunAsync(dir, env, "keys", "create", "acme")).Output.Trim();
        await using var server = await published.StartServerAsync(dir, env);
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/v1/objects?filename=hello.txt") { Content = new StringContent("hello, backup") };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
        var uploaded = await server.Http.SendAsync(upload);
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
        var backupFile = Path.Combine(production.Root, "backups", "before.db");

        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", production.AdminKey);
        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++) (await server.Http.PostAsJsonAsync("/v1/admin/tenants", new { id = $"t{i}", name = "T" })).EnsureSuccessStatusCode();
        });
        var backup = await published.RunAsync(dir, env, "backup", backupFile);
        await writes;

        backup.ExitCode.ShouldBe(0, backup.Errors);
        backup.Output.ShouldBe($"backup written to {backupFile}\n");
        File.Exists(backupFile + ".partial").ShouldBeFalse();
        await using var connection = new SqliteConnection($"Data Source={backupFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "PRAGMA integrity_check";
        (await query.ExecuteScalarAsync()).ShouldBe("ok");
        query.CommandText = "PRAGMA journal_mode";
        (await query.ExecuteScalarAsync()).ShouldBe("delete");
        query.CommandText = "SELECT Name FROM Tenants WHERE Id = 'acme'";
        (await query.ExecuteScalarAsync()).ShouldBe("Acme");
        query.CommandText = "SELECT Filename FROM Objects WHERE TenantId = 'acme'";
        (await query.ExecuteScalarAsync()).ShouldBe("hello.txt");
    }

    [Fact]
    public async Task Backup_fails_cleanly_when_there_is_no_database_yet()
    {
        using var production = new ProductionEnvironment();
        var backupFile = Path.Combine(production.Root, "backup.db");

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, "backup", backupFile);

        result.ExitCode.ShouldBe(1);
        result.Errors.ShouldStartWith("error: database ");
        File.Exists(backupFile).ShouldBeFalse();
    }

    [Fact]
    public async Task Restore_says_what_it_discards_and_puts_a_backup_back_while_the_server_runs_only_when_asked()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "before")).ExitCode.ShouldBe(0);
        var backupFile = Path.Combine(production.Root, "before.db");
        (await published.RunAsync(dir, env, "backup", backupFile)).ExitCode.ShouldBe(0);
        await using var server = await published.StartServerAsync(dir, env);
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", production.AdminKey);
        (await server.Http.PostAsJsonAsync("/v1/admin/tenants", new { id = "after", name = "After" })).EnsureSuccessStatusCode();

        var refused = await published.RunAsync(dir, env, "restore", backupFile);
        (await server.Http.GetStringAsync("/v1/admin/tenants")).ShouldContain("\"after\"");
        var restore = await published.RunAsync(dir, env, "restore", backupFile, "--discard-newer");

        refused.ExitCode.ShouldBe(1);
        refused.Errors.ShouldStartWith($"error: restoring {backupFile} would discard 1 tenants, 0 keys and 0 objects created since ");
        refused.Errors.ShouldContain("nothing was restored (add --discard-newer to restore anyway)");
        restore.ExitCode.ShouldBe(0, restore.Errors);
        restore.Output.ShouldStartWith($"database restored from {backupFile}; discarded 1 tenants, 0 keys and 0 objects created since ");
        var tenants = await server.Http.GetStringAsync("/v1/admin/tenants");
        tenants.ShouldContain("\"before\"");
        tenants.ShouldNotContain("\"after\"");
        (await server.Http.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Restore_refuses_a_file_that_is_not_a_database_and_changes_nothing()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "kept")).ExitCode.ShouldBe(0);
        var garbage = Path.Combine(production.Root, "garbage.db");
        await File.WriteAllTextAsync(garbage, "not a database at all, just text that is long enough to look like a page");

        var restore = await published.RunAsync(dir, env, "restore", garbage);
        var missing = await published.RunAsync(dir, env, "restore", Path.Combine(production.Root, "missing.db"));

        restore.ExitCode.ShouldBe(1);
        restore.Errors.ShouldStartWith("error:");
        missing.ExitCode.ShouldBe(1);
        missing.Errors.ShouldStartWith("error: backup ");
        (await published.RunAsync(dir, env, "tenants", "list")).Output.ShouldContain("kept");
    }
}
