using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using StorageApi.Tests.Cli;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.PostgreSql;

/// <summary>The published binary's database verbs on PostgreSQL: migrate, backup with pg_dump, restore in one transaction.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class PostgreSqlVerbTests(PublishedService published)
{
    private static async Task<ProductionEnvironment> ProductionOnPostgreSqlAsync() =>
        new(await (await PostgreSqlCluster.InstanceAsync()).CreateDatabaseAsync());

    [Fact]
    public async Task Migrate_backup_and_restore_work_on_postgresql_while_the_server_runs()
    {
        using var production = await ProductionOnPostgreSqlAsync();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate", "--pending")).Output.ShouldContain("InitialSchema");
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "migrate", "--pending")).Output.Trim().ShouldBeEmpty();
        (await published.RunAsync(dir, env, "tenants", "create", "before")).ExitCode.ShouldBe(0);
        var backupFile = Path.Combine(production.Root, "before.dump");
        var backup = await published.RunAsync(dir, env, "backup", backupFile);
        backup.ExitCode.ShouldBe(0, backup.Errors);
        new FileInfo(backupFile).Length.ShouldBeGreaterThan(0);
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
        var tenants = await server.Http.GetStringAsync("/v1/admin/tenants");
        tenants.ShouldContain("\"before\"");
        tenants.ShouldNotContain("\"after\"");
        (await server.Http.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        backup.Output.ShouldNotContain(production.AdminKey);
    }

    [Fact]
    public async Task Restore_refuses_a_file_that_is_not_a_dump_and_changes_nothing()
    {
        using var production = await ProductionOnPostgreSqlAsync();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "kept")).ExitCode.ShouldBe(0);
        var garbage = Path.Combine(production.Root, "garbage.dump");
        await File.WriteAllTextAsync(garbage, "not a dump at all");

        var restore = await published.RunAsync(dir, env, "restore", garbage);

        restore.ExitCode.ShouldBe(1);
        restore.Errors.ShouldContain("is not a pg_dump archive; nothing was restored");
        (await published.RunAsync(dir, env, "tenants", "list")).Output.ShouldContain("kept");
    }
}
