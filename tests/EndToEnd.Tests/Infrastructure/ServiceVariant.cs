using Storagectl.Configuration;
using Storagectl.Planning;
using Storagectl.Releases;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// A copy of the service's sources with one extra EF Core migration, built into a real release: how the tests get
/// releases whose migrations really run (and really fail) inside the service's own `migrate`.
/// </summary>
public static class ServiceVariant
{
    /// <summary>Adds a table and a nullable column: the kind of change the previous release must keep working on.</summary>
    public const string Expanding = """
        migrationBuilder.CreateTable(
            name: "DeployNotes",
            columns: table => new { Id = table.Column<int>(type: "INTEGER", nullable: false), Text = table.Column<string>(type: "TEXT", nullable: true) },
            constraints: table => table.PrimaryKey("PK_DeployNotes", x => x.Id));
        migrationBuilder.AddColumn<string>(name: "DeployNote", table: "Objects", type: "TEXT", nullable: true);
        """;

    /// <summary>Changes the schema, then fails: inside the migration's transaction, so nothing of it may remain.</summary>
    public const string FailingHalfWay = """
        migrationBuilder.CreateTable(
            name: "HalfApplied",
            columns: table => new { Id = table.Column<int>(type: "INTEGER", nullable: false) },
            constraints: table => table.PrimaryKey("PK_HalfApplied", x => x.Id));
        migrationBuilder.AddColumn<string>(name: "HalfNote", table: "Objects", type: "TEXT", nullable: true);
        migrationBuilder.Sql("INSERT INTO \"NoSuchTable\" VALUES (1);");
        """;

    public static async Task<string> BuildAsync(string workFolder, string version, string migrationId, string migrationUp)
    {
        var repository = RepositoryRoot.Path;
        var copy = Path.Combine(workFolder, "source-" + version);
        CopyTree(Path.Combine(repository, "src"), Path.Combine(copy, "src")); // all of it: the service links files from beside it (src/DotEnv)
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props" }) File.Copy(Path.Combine(repository, file), Path.Combine(copy, file));
        var name = migrationId[(migrationId.IndexOf('_') + 1)..];
        await File.WriteAllTextAsync(Path.Combine(copy, "src", "StorageApi", "Data", "Migrations", "Sqlite", migrationId + ".cs"), $$"""
            using Microsoft.EntityFrameworkCore.Infrastructure;
            using Microsoft.EntityFrameworkCore.Migrations;

            namespace StorageApi.Data.Migrations.Sqlite;

            [DbContext(typeof(SqliteStorageDb))]
            [Migration("{{migrationId}}")]
            public sealed class {{name}} : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
            {{migrationUp}}
                }
            }
            """);
        await TestProcess.RequireAsync("git", "-C", copy, "init", "-q");
        await TestProcess.RequireAsync("git", "-C", copy, "add", "-A");
        await TestProcess.RequireAsync("git", "-C", copy, "-c", "user.name=e2e", "-c", "user.email=e2e@localhost", "commit", "-q", "-m", version);
        var config = DeployConfigLoader.Load(Path.Combine(repository, "deploy", "storagectl.yml"));
        var artifact = await ArtifactBuilder.BuildAsync(config, copy, workFolder, version, TimeProvider.System);
        artifact.Migrations.ShouldNotBeNull().ShouldContain(migrationId);
        return artifact.File;
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.EnumerateDirectories(from).Where(f => Path.GetFileName(f) is not ("bin" or "obj")))
            CopyTree(folder, Path.Combine(to, Path.GetFileName(folder)));
    }
}
