using Storagectl.Configuration;
using Storagectl.Planning;
using Storagectl.Releases;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// The releases the tests deploy, built once per run with storagectl's own builder: 1.0.0 and 2.0.0 of the real
/// service, and two broken ones made from 2.0.0 by wrapping its executable: one never gets ready, one fails its
/// migration half-way (after changing the database, so the restore can be seen).
/// </summary>
public sealed class Artifacts : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public string V1 { get; private set; } = "";
    public string V2 { get; private set; } = "";
    public string NeverReady { get; private set; } = "";
    public string BrokenMigration { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var repository = Run.RepositoryRoot();
        var config = DeployConfigLoader.Load(Path.Combine(repository, "deploy", "storagectl.yml"));
        V1 = (await ArtifactBuilder.BuildAsync(config, repository, _folder.Path, "1.0.0", TimeProvider.System)).File;
        V2 = (await ArtifactBuilder.BuildAsync(config, repository, _folder.Path, "2.0.0", TimeProvider.System)).File;
        NeverReady = await WrapAsync(V2, "3.0.0-never-ready", """
            # Serving: demand more free disk than exists, so /health stays 503; admin verbs work as usual.
            if [ $# -eq 0 ]; then export MIN_FREE_DISK_MB=999999999; fi
            """);
        BrokenMigration = await WrapAsync(V2, "3.0.0-broken-migration", """
            # A migration that changes the database and then fails.
            if [ "$*" = "migrate --pending" ]; then echo 20270101000000_Broken; exit 0; fi
            if [ "$*" = "migrate" ]; then sqlite3 data/storage.db 'CREATE TABLE half_applied (x INTEGER)'; echo "migration failed" >&2; exit 1; fi
            """);
    }

    private async Task<string> WrapAsync(string artifact, string version, string wrapper)
    {
        var unpacked = Path.Combine(_folder.Path, version);
        Directory.CreateDirectory(unpacked);
        await Run.RequireAsync("tar", "-xzf", artifact, "-C", unpacked);
        File.Move(Path.Combine(unpacked, "storage-api"), Path.Combine(unpacked, "storage-api.real"));
        var script = Path.Combine(unpacked, "storage-api");
        await File.WriteAllTextAsync(script, "#!/bin/sh\n" + wrapper + "\nexec \"$(dirname \"$0\")/storage-api.real\" \"$@\"\n");
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("755", 8));
        var file = Path.Combine(_folder.Path, $"storage-api-{version}.tar.gz");
        await Run.RequireAsync("tar", "-czf", file, "-C", unpacked, ".");
        new Artifact("storage-api", version, "test", DateTimeOffset.UtcNow, file, FileHash.Sha256(file)).WriteManifest();
        return file;
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class DeployCollection : ICollectionFixture<Artifacts>
{
    public const string Name = "deploys";
}
