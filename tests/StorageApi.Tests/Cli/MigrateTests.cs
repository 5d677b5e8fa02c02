using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>Outside development the database waits for `storage-api migrate`, and readiness says so until it has run.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class MigrateTests(PublishedService published)
{
    private const string InitialSchema = "20261125021015_InitialSchema";
    private const string AddSearch = "20261125182247_AddSearch";
    private const string TenantLimits = "20261125185131_TenantLimits";
    private const string BlobLocations = "20261130110131_BlobLocations";
    private const string AccessChanges = "20261130175420_AccessChanges";
    private const string ObjectChanges = "20261130202557_ObjectChanges";

    [Fact]
    public async Task An_unmigrated_production_database_is_not_ready_until_migrate_runs()
    {
        using var production = new ProductionEnvironment();
        var (dir, env) = (production.WorkingDirectory, production.Variables);
        await using var server = await published.StartServerAsync(dir, env);

        var before = await server.Http.GetAsync("/health/ready");
        var beforeBody = await before.Content.ReadFromJsonAsync<JsonElement>();
        var pending = await published.RunAsync(dir, env, "migrate", "--pending");
        var migrate = await published.RunAsync(dir, env, "migrate");
        var pendingAfter = await published.RunAsync(dir, env, "migrate", "--pending");
        var again = await published.RunAsync(dir, env, "migrate");
        // Readiness is evaluated on every request: the same server turns ready without a restart.
        var after = await server.Http.GetAsync("/health/ready");

        before.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, beforeBody.GetRawText());
        beforeBody.GetProperty("status").GetString().ShouldBe("unhealthy");
        var migrations = beforeBody.GetProperty("checks").GetProperty("migrations");
        migrations.GetProperty("status").GetString().ShouldBe("unhealthy");
        migrations.GetProperty("description").GetString().ShouldBe($"6 pending: {InitialSchema}, {AddSearch}, {TenantLimits}, {BlobLocations}, {AccessChanges}, {ObjectChanges} (run 'storage-api migrate')");
        pending.ExitCode.ShouldBe(0, pending.Errors);
        pending.Output.ShouldBe($"{InitialSchema}\n{AddSearch}\n{TenantLimits}\n{BlobLocations}\n{AccessChanges}\n{ObjectChanges}\n");
        migrate.ExitCode.ShouldBe(0, migrate.Errors);
        migrate.Output.ShouldBe($"applied 6 migrations: {InitialSchema}, {AddSearch}, {TenantLimits}, {BlobLocations}, {AccessChanges}, {ObjectChanges}\n");
        pendingAfter.ExitCode.ShouldBe(0, pendingAfter.Errors);
        pendingAfter.Output.ShouldBeEmpty();
        again.ExitCode.ShouldBe(0, again.Errors);
        again.Output.ShouldBe("database is up to date\n");
        after.StatusCode.ShouldBe(HttpStatusCode.OK, await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tenant_verbs_refuse_to_run_on_a_production_database_with_pending_migrations()
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, "tenants", "create", "acme");

        result.ExitCode.ShouldBe(1);
        result.Output.ShouldBeEmpty();
        result.Errors.ShouldContain("error: the database has pending migrations; run 'storage-api migrate' first");
    }
}
