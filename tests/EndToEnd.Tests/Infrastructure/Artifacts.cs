using Storagectl.Configuration;
using Storagectl.Planning;
using Storagectl.Releases;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// The releases the tests deploy, built once per run with storagectl's own builder: 1.0.0 and 2.0.0 of the real
/// service; one that never gets ready (2.0.0 with its executable wrapped); one with a real additive migration that
/// never gets ready either; one that freezes (SIGSTOP) before it is ready; one whose real migration changes the schema and then fails; and one that serves without
/// TENANT_ID (the planted isolation break: 2.0.0 with its executable wrapped, as 2.0.0).
/// </summary>
public sealed class Artifacts : IAsyncLifetime
{
    private readonly TempFolder _folder = new("e2e-");

    public string V1 { get; private set; } = "";
    public string V2 { get; private set; } = "";
    public string NeverReady { get; private set; } = "";
    public string Frozen { get; private set; } = "";
    public string NoTenantId { get; private set; } = "";
    public string BrokenMigration { get; private set; } = "";
    public string Expanding { get; private set; } = "";
    public string ExpandingNeverReady { get; private set; } = "";
    public const string ExpandingMigration = "20270101000000_DeployNotes";
    public const string BrokenMigrationId = "20270101000001_HalfApplied";

    public async Task InitializeAsync()
    {
        var repository = RepositoryRoot.Path;
        var config = DeployConfigLoader.Load(Path.Combine(repository, "deploy", "storagectl.yml"));
        V1 = (await ArtifactBuilder.BuildAsync(config, repository, _folder.Path, "1.0.0", TimeProvider.System)).File;
        V2 = (await ArtifactBuilder.BuildAsync(config, repository, _folder.Path, "2.0.0", TimeProvider.System)).File;
        NeverReady = await WrapAsync(V2, "3.0.0-never-ready", NeverReadyWrapper);
        Frozen = await WrapAsync(V2, "3.0.0-frozen", FrozenWrapper);
        // The binary says 2.0.0 in /health, so the release must be 2.0.0 to pass the gate: a bad build of 2.0.0, kept apart.
        NoTenantId = await WrapAsync(V2, "2.0.0", NoTenantIdWrapper, Path.Combine(_folder.Path, "no-tenant-id"));
        Expanding = await ServiceVariant.BuildAsync(_folder.Path, "3.0.0-expanding", ExpandingMigration, ServiceVariant.Expanding);
        ExpandingNeverReady = await WrapAsync(Expanding, "3.0.0-expanding-never-ready", NeverReadyWrapper);
        BrokenMigration = await ServiceVariant.BuildAsync(_folder.Path, "3.0.0-broken-migration", BrokenMigrationId, ServiceVariant.FailingHalfWay);
    }

    // Serving: demand more free disk than exists, so /health stays 503; admin verbs (migrate among them) work as usual.
    private const string NeverReadyWrapper = "if [ $# -eq 0 ]; then export MIN_FREE_DISK_MB=999999999; fi";

    // Serving: never ready, and frozen (SIGSTOP, by the wrapper's background child) as soon as it answers on its port, so
    // the health gate's requests hang instead of being answered 503, as with a process that locks up.
    private const string FrozenWrapper = """
        if [ $# -eq 0 ]; then
          export MIN_FREE_DISK_MB=999999999; port=${URLS#http://127.0.0.1:}; port=${port%%;*}
          ( until curl -s -o /dev/null "http://127.0.0.1:$port/health/live"; do sleep 0.05; done; kill -STOP $$ ) &
        fi
        """;

    // Serving: TENANT_ID set but empty in the real environment, which wins over shared/.env and counts as unset, so the
    // instance serves any tenant; it is ready and healthy, and only the isolation probe can tell. Admin verbs work as usual.
    private const string NoTenantIdWrapper = "if [ $# -eq 0 ]; then export TENANT_ID=; fi";

    private async Task<string> WrapAsync(string artifact, string version, string wrapper, string? folder = null)
    {
        folder ??= _folder.Path;
        var unpacked = Path.Combine(folder, version);
        Directory.CreateDirectory(unpacked);
        await TestProcess.RequireAsync("tar", "-xzf", artifact, "-C", unpacked);
        File.Move(Path.Combine(unpacked, "storage-api"), Path.Combine(unpacked, "storage-api.real"));
        var script = Path.Combine(unpacked, "storage-api");
        await File.WriteAllTextAsync(script, "#!/bin/sh\n" + wrapper + "\nexec \"$(dirname \"$0\")/storage-api.real\" \"$@\"\n");
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("755", 8));
        var file = Path.Combine(folder, $"storage-api-{version}.tar.gz");
        await TestProcess.RequireAsync("tar", "-czf", file, "-C", unpacked, ".");
        var source = Artifact.Load(artifact);
        // The manifest names the model bundle by file name, beside the artifact.
        if (source.Model is { } model && !File.Exists(Path.Combine(folder, Path.GetFileName(model.File))))
            File.Copy(model.File, Path.Combine(folder, Path.GetFileName(model.File)));
        (source with { Version = version, File = file, Sha256 = FileHash.Sha256(file) }).WriteManifest();
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
