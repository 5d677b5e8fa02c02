using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>migrate, backup and the readiness gate, run as an operator (or storagectl) would.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class DatabaseVerbTests(PublishedService published)
{
    [Fact]
    public async Task An_unmigrated_production_database_is_not_ready_until_migrate_runs()
    {
        using var production = new ProductionEnvironment();
        await using var server = await published.StartServerAsync(production.WorkingDirectory, production.Variables);

        var before = await server.Http.GetAsync("/health/ready");
        var pending = await published.RunAsync(production.WorkingDirectory, production.Variables, "migrate", "--pending");
        var migrate = await published.RunAsync(production.WorkingDirectory, production.Variables, "migrate");
        var again = await published.RunAsync(production.WorkingDirectory, production.Variables, "migrate");
        var after = await server.Http.GetAsync("/health/ready");

        before.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await before.Content.ReadAsStringAsync()).ShouldContain("migrations");
        pending.ExitCode.ShouldBe(0);
        pending.Output.ShouldContain("InitialSchema");
        migrate.ExitCode.ShouldBe(0, migrate.Errors);
        migrate.Output.ShouldStartWith("applied ");
        again.Output.Trim().ShouldBe("database is up to date");
        after.StatusCode.ShouldBe(HttpStatusCode.OK, await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_backup_taken_while_the_server_writes_is_a_consistent_database()
    {
        using var production = new ProductionEnvironment();
        (await published.RunAsync(production.WorkingDirectory, production.Variables, "migrate")).ExitCode.ShouldBe(0);
        await using var server = await published.StartServerAsync(production.WorkingDirectory, production.Variables);
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", production.AdminKey);
        (await server.Http.PostAsJsonAsync("/v1/admin/tenants", new { id = "acme", name = "Acme" })).EnsureSuccessStatusCode();
        var backupFile = Path.Combine(production.Root, "backups", "before.db");
        Directory.CreateDirectory(Path.GetDirectoryName(backupFile)!);

        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++) (await server.Http.PostAsJsonAsync("/v1/admin/tenants", new { id = $"t{i}", name = "T" })).EnsureSuccessStatusCode();
        });
        var backup = await published.RunAsync(production.WorkingDirectory, production.Variables, "backup", backupFile);
        await writes;

        backup.ExitCode.ShouldBe(0, backup.Errors);
        await using var connection = new SqliteConnection($"Data Source={backupFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        (await check.ExecuteScalarAsync()).ShouldBe("ok");
        check.CommandText = "SELECT count(*) FROM Tenants WHERE Id = 'acme'";
        (await check.ExecuteScalarAsync()).ShouldBe(1L);
    }

    [Fact]
    public async Task Tenant_and_key_verbs_create_keys_that_the_server_accepts_and_revocation_stops_them()
    {
        using var production = new ProductionEnvironment();
        var env = production.Variables;
        var dir = production.WorkingDirectory;
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);

        var tenant = await published.RunAsync(dir, env, "tenants", "create", "acme", "--name", "Acme Inc");
        var duplicate = await published.RunAsync(dir, env, "tenants", "create", "acme");
        var key = await published.RunAsync(dir, env, "keys", "create", "acme", "--name", "ci");
        var list = await published.RunAsync(dir, env, "tenants", "list");
        var keys = await published.RunAsync(dir, env, "keys", "list", "acme");
        var unknownTenant = await published.RunAsync(dir, env, "keys", "create", "nobody");

        tenant.ExitCode.ShouldBe(0, tenant.Errors);
        duplicate.ExitCode.ShouldBe(1);
        key.ExitCode.ShouldBe(0, key.Errors);
        unknownTenant.ExitCode.ShouldBe(1);
        list.Output.ShouldContain("acme\tAcme Inc");
        var apiKey = key.Output.Trim();
        apiKey.ShouldStartWith("sk_");
        keys.Output.ShouldNotContain(apiKey);
        var keyId = keys.Output.Split('\t')[0];

        await using var server = await published.StartServerAsync(dir, env);
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        (await server.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var revoke = await published.RunAsync(dir, env, "keys", "revoke", "acme", keyId);

        revoke.ExitCode.ShouldBe(0, revoke.Errors);
        (await server.Http.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        JsonDocument.Parse(await (await server.Http.GetAsync("/v1/objects")).Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32().ShouldBe(401);
    }

    [Fact]
    public async Task Restore_puts_a_backup_back_while_the_server_runs()
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

        var restore = await published.RunAsync(dir, env, "restore", backupFile);

        restore.ExitCode.ShouldBe(0, restore.Errors);
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
        (await published.RunAsync(dir, env, "tenants", "list")).Output.ShouldContain("kept");
    }
}
