using System.Text.RegularExpressions;
using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.HostCommands;
using Storagectl.Planning;
using Storagectl.Processes;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Hosts;

/// <summary>
/// The disk check, the upload and the unpack run for real on a 20 MB tmpfs: a release that does not fit is refused,
/// and a write that runs out of space leaves nothing half-written behind and says so in its reason.
/// </summary>
public sealed class FullDiskTests : IAsyncLifetime
{
    private const long MiB = 1024 * 1024;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("full-disk-");
    private readonly LocalConnection _host = new("local");
    private Tmpfs _disk = null!;

    private string Root => _disk.Folder;
    private TenantPaths Acme => new(Root, "acme");

    public async Task InitializeAsync() => _disk = await Tmpfs.MountAsync(Path.Combine(_folder.FullName, "disk"), 20);

    public async Task DisposeAsync()
    {
        await _disk.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    /// <summary>acme on web-1, with the host root on the tmpfs and a margin of 5 MiB for the running release.</summary>
    private TargetPlan PlanFor(Artifact artifact, HostState state)
    {
        var config = DeployConfigLoader.Parse(Yaml.Replace("root: /srv/storage", $"root: {Root}").Replace("TENANT_ID: acme", "TENANT_ID: acme, MIN_FREE_DISK_MB: 5"), "storagectl.yml");
        var secrets = new SecretSource(new Dictionary<string, string> { ["ACME_ADMIN"] = "a", ["ACME_SIGNING"] = "s" }, new Dictionary<string, string>());
        var context = new PlanContext(config, config.Environment("production"), new Dictionary<(string, string), HostState> { [("acme", "web-1")] = state }, "ana", Now, "t", "acme");
        return DeployPlanner.Plan(new DeployRequest(context, artifact, secrets)).Targets.Single();
    }

    private static Artifact Sized(long bytes, long unpackedBytes, string file = "/tmp/storage-api-2.0.0.tar.gz") =>
        new("storage-api", "2.0.0", "abc1234", DateTimeOffset.UnixEpoch, file, new string('e', 64), null, bytes, unpackedBytes);

    private async Task<CommandResult> RunAsync(TargetPlan target, string titleStart)
    {
        var step = target.Prepare.OfType<RunStep>().Single(s => s.Title.StartsWith(titleStart));
        return await _host.RunAsync(step.Script, step.Input);
    }

    [Fact]
    public async Task A_release_that_does_not_fit_with_the_margin_is_refused_with_the_numbers_on_one_line()
    {
        var result = await RunAsync(PlanFor(Sized(1 * MiB, 30 * MiB), HostState.Empty), "check the free disk");

        result.ExitCode.ShouldBe(1);
        result.Reason.ShouldMatch($@"^not enough disk on web-1 for 2\.0\.0: needs 36 MiB \(artifact 1 \+ unpacked 30 \+ database copy 0 \+ MIN_FREE_DISK_MB 5\), \d+ MiB free on {Regex.Escape(Root)}$");
    }

    [Fact]
    public async Task A_release_that_fits_passes_and_one_already_unpacked_needs_only_the_upload()
    {
        var fits = await RunAsync(PlanFor(Sized(1 * MiB, 2 * MiB), HostState.Empty), "check the free disk");
        Directory.CreateDirectory(Acme.Release("2.0.0"));
        var redeploy = await RunAsync(PlanFor(Sized(1 * MiB, 30 * MiB), HostState.Empty), "check the free disk");

        fits.ExitCode.ShouldBe(0, fits.Errors);
        fits.Output.ShouldEndWith($"MiB free on {Root}, 8 MiB needed\n");
        redeploy.ExitCode.ShouldBe(0, redeploy.Errors);
        redeploy.Output.ShouldEndWith("6 MiB needed\n");
    }

    [Fact]
    public async Task An_unpack_that_fills_the_disk_removes_the_partial_folder_and_the_upload_and_names_the_full_disk()
    {
        var content = Path.Combine(_folder.FullName, "content");
        Directory.CreateDirectory(content);
        var upload = Path.Combine(Acme.Uploads, "storage-api-2.0.0.tar.gz");
        Directory.CreateDirectory(Acme.Uploads);
        // 30 MB of zeros pack into a few KB: the upload fits, its contents do not.
        (await _host.RunAsync($"head -c 30M /dev/zero > {Shell.Quote(content)}/storage-api && tar -czf {Shell.Quote(upload)} -C {Shell.Quote(content)} .")).ExitCode.ShouldBe(0);

        var result = await RunAsync(PlanFor(Sized(new FileInfo(upload).Length, 30 * MiB, upload), HostState.Empty), "unpack into");

        result.ExitCode.ShouldBe(1);
        result.Reason.ShouldStartWith("unpacking failed: tar: ");
        result.Reason.ShouldContain("No space left on device");
        Directory.EnumerateFileSystemEntries(Acme.Releases).ShouldBeEmpty(); // no .2.0.0.partial, no 2.0.0
        File.Exists(upload).ShouldBeFalse();
    }

    [Fact]
    public async Task An_upload_that_fills_the_disk_removes_its_part_file_and_names_the_full_disk()
    {
        var upload = Path.Combine(Acme.Uploads, "storage-api-2.0.0.tar.gz");
        using var bytes = new MemoryStream(new byte[30 * MiB]);

        var result = await _host.RunAsync(ArtifactCommands.Receive(upload), bytes, CancellationToken.None);

        result.ExitCode.ShouldBe(1);
        result.Reason.ShouldEndWith("No space left on device");
        Directory.EnumerateFileSystemEntries(Acme.Uploads).ShouldBeEmpty();
    }
}
