using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>`storagectl checklist` against real hosts: migrations rehearsed on a copy of the tenant's database, endpoints judged.</summary>
[Collection(DeployCollection.Name)]
public sealed class ChecklistTests(Artifacts artifacts)
{
    [Fact]
    public async Task The_checklist_rehearses_migrations_on_a_copy_and_judges_the_endpoints()
    {
        await using var fleet = await TestFleet.StartAsync();
        (await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);
        using var repository = new TempFolder("e2e-");
        await File.WriteAllTextAsync(Path.Combine(repository.Path, "CHANGELOG.md"), "# Changelog\n\n## [2.0.0] - 2026-11-25\n\n### Fixes\n\n- a fix\n");
        var database = Path.Combine(fleet.TenantFolder("acme"), "shared", "data", "storage.db");
        var tablesBefore = await TestProcess.RequireAsync("sqlite3", database, ".tables");

        var good = await fleet.StorageCtlAsync("checklist", "production", "--tenant", "acme", "--artifact", artifacts.V2, "--test-command", "true", "--repo", repository.Path);

        good.ExitCode.ShouldBe(0, good.ToString());
        good.Output.ShouldContain("[ok]   the tests pass: true");
        good.Output.ShouldContain("[ok]   CHANGELOG.md describes the version: ## [2.0.0]");
        good.Output.ShouldContain("[ok]   migrations apply to a copy of acme's database (host-a)");
        good.Output.ShouldContain("[ok]   acme@host-a is ready with 1.0.0");
        good.Output.ShouldContain("[ok]   acme@host-a refuses a request without a key: GET /v1/objects -> 401");
        good.Output.ShouldContain("[ok]   acme@host-a error rate");
        good.Output.ShouldContain("[ ]    know the way back: storagectl rollback production");

        var broken = await fleet.StorageCtlAsync("checklist", "production", "--tenant", "acme", "--artifact", artifacts.BrokenMigration, "--skip-tests", "--repo", repository.Path);

        broken.ExitCode.ShouldBe(1, broken.ToString());
        broken.Output.ShouldContain("[FAIL] migrations apply to a copy of acme's database (host-a): migrate failed");
        broken.Output.ShouldContain("[skip] CHANGELOG.md describes the version: 3.0.0-broken-migration is a development build");
        broken.Output.ShouldContain("gate(s) failed");
        (await TestProcess.RequireAsync("sqlite3", database, ".tables")).ShouldBe(tablesBefore);
        Directory.EnumerateFileSystemEntries(Path.Combine(fleet.TenantFolder("acme"), "shared", "backups")).ShouldBeEmpty();
    }
}
