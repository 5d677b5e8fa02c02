using Storagectl.Configuration;
using Storagectl.Hosts;
using Storagectl.Planning;
using Storagectl.Releases;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Hosts;

/// <summary>
/// The embedding model travels apart from releases: packed once by build into a bundle with the same bytes every time,
/// uploaded to a host only when the host does not keep it, unpacked once per host, checked by sha256 on every deploy,
/// and linked into each release. The host's side runs for real in a temp folder.
/// </summary>
public sealed class ModelShippingTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("model-shipping-");
    private readonly LocalConnection _host = new("local");

    private string Root => Path.Combine(_folder.FullName, "hosts");
    private TenantPaths Acme => new(Root, "acme");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>What a publish writes: &lt;models&gt;/all-MiniLM-L6-v2 with its two files (random stand-ins for the 90 MB).</summary>
    private string PublishedModels(string name = "published")
    {
        var models = Path.Combine(_folder.FullName, name);
        var folder = Directory.CreateDirectory(Path.Combine(models, "all-MiniLM-L6-v2")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), System.Text.Encoding.ASCII.GetBytes(new string('m', 70_000)));
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), "[PAD]\n[UNK]\npuppy\n");
        return models;
    }

    private async Task<ModelBundle> PackAsync(string output = "out")
    {
        var directory = Directory.CreateDirectory(Path.Combine(_folder.FullName, output)).FullName;
        return (await ModelBundles.PackAsync(PublishedModels(output + "-published"), directory, _folder.FullName, CancellationToken.None))!;
    }

    private TargetPlan PlanFor(ModelBundle? model, HostState state, string version = "2.0.0")
    {
        var config = DeployConfigLoader.Parse(Yaml.Replace("root: /srv/storage", $"root: {Root}"), "storagectl.yml");
        var secrets = new SecretSource(new Dictionary<string, string> { ["ACME_ADMIN"] = "a", ["ACME_SIGNING"] = "s" }, new Dictionary<string, string>());
        var context = new PlanContext(config, config.Environment("production"), new Dictionary<(string, string), HostState> { [("acme", "web-1")] = state }, "ana", Now, "t", "acme");
        var artifact = new Artifact("storage-api", version, "abc1234", DateTimeOffset.UnixEpoch, "/tmp/storage-api.tar.gz", new string('e', 64), Model: model);
        return DeployPlanner.Plan(new DeployRequest(context, artifact, secrets)).Targets.Single();
    }

    /// <summary>The upload as the executor leaves it (the bytes in place), then the plan's step that places the model.</summary>
    private async Task<Processes.CommandResult> PlaceAsync(TargetPlan target, ModelBundle model, string version = "2.0.0")
    {
        Directory.CreateDirectory(Acme.Release(version));
        if (target.Prepare.OfType<UploadStep>().SingleOrDefault(s => s.LocalFile == model.File) is { } upload)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(upload.RemoteFile)!);
            File.Copy(model.File, upload.RemoteFile);
        }
        var place = target.Prepare.OfType<RunStep>().Single(s => s.Title.StartsWith("place the model"));
        return await _host.RunAsync(place.Script, place.Input);
    }

    [Fact]
    public async Task Two_builds_of_the_same_model_pack_the_same_bytes_named_by_their_sha256()
    {
        var first = await PackAsync("first");
        await Task.Delay(1100); // other file times: they must not reach the bytes
        var second = await PackAsync("second");

        second.Sha256.ShouldBe(first.Sha256);
        first.Name.ShouldBe("all-MiniLM-L6-v2");
        Path.GetFileName(first.File).ShouldBe($"all-MiniLM-L6-v2-{first.Sha256[..12]}.tar");
        first.Bytes.ShouldBe(new FileInfo(first.File).Length);
        var listing = await _host.RunAsync($"tar -tf '{first.File}' | sort");
        listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["./", "./SHA256SUMS", "./model.onnx", "./vocab.txt"]);
    }

    [Fact]
    public async Task The_first_deploy_to_a_host_uploads_the_model_and_places_it_before_the_new_binary_checks_its_configuration()
    {
        var model = await PackAsync();
        var target = PlanFor(model, HostState.Empty);

        var titles = target.Prepare.Select(s => s.Title).ToList();
        var upload = titles.IndexOf("upload the model all-MiniLM-L6-v2 (once per host)");
        var place = titles.FindIndex(t => t.StartsWith("place the model in models/all-MiniLM-L6-v2-"));
        upload.ShouldBeGreaterThan(titles.IndexOf("unpack into releases/2.0.0"));
        place.ShouldBe(upload + 1);
        place.ShouldBeLessThan(titles.IndexOf("check the configuration with the new binary"));

        var result = await PlaceAsync(target, model);

        result.ExitCode.ShouldBe(0, result.Errors);
        var link = Path.Combine(Acme.Release("2.0.0"), "models", "all-MiniLM-L6-v2");
        new DirectoryInfo(link).ResolveLinkTarget(returnFinalTarget: true)!.FullName.ShouldBe(Acme.Model(model));
        File.ReadAllText(Path.Combine(link, "vocab.txt")).ShouldBe("[PAD]\n[UNK]\npuppy\n");
        Directory.GetFileSystemEntries(Acme.Models).Select(Path.GetFileName).ShouldBe([model.Folder]); // no upload, no .partial left
    }

    [Fact]
    public async Task A_host_that_keeps_the_model_is_not_sent_it_again_and_each_release_links_the_same_copy()
    {
        var model = await PackAsync();
        (await PlaceAsync(PlanFor(model, HostState.Empty), model)).ExitCode.ShouldBe(0);

        var next = PlanFor(model, HostState.Empty with { Models = [model.Folder] }, "2.1.0");
        var result = await PlaceAsync(next, model, "2.1.0");

        next.Prepare.OfType<UploadStep>().ShouldNotContain(s => s.LocalFile == model.File);
        result.ExitCode.ShouldBe(0, result.Errors);
        new DirectoryInfo(Path.Combine(Acme.Release("2.1.0"), "models", "all-MiniLM-L6-v2")).ResolveLinkTarget(true)!.FullName.ShouldBe(Acme.Model(model));
    }

    [Fact]
    public async Task A_damaged_copy_on_the_host_stops_the_deploy_before_the_release_starts_on_it()
    {
        var model = await PackAsync();
        (await PlaceAsync(PlanFor(model, HostState.Empty), model)).ExitCode.ShouldBe(0);
        File.AppendAllText(Path.Combine(Acme.Model(model), "model.onnx"), "flipped");

        var result = await PlaceAsync(PlanFor(model, HostState.Empty with { Models = [model.Folder] }, "2.1.0"), model, "2.1.0");

        result.ExitCode.ShouldBe(1);
        result.Reason.ShouldBe($"the model in {Acme.Model(model)} does not match its SHA256SUMS: remove the folder and deploy again");
        Directory.Exists(Path.Combine(Acme.Release("2.1.0"), "models")).ShouldBeFalse();
    }

    [Fact]
    public async Task The_disk_check_counts_the_models_upload_and_folder_only_where_the_host_does_not_keep_it()
    {
        var model = await PackAsync();
        var huge = model with { Bytes = 4L << 40 }; // 4 TiB: no disk here has room for it twice
        var check = (TargetPlan target) => _host.RunAsync(target.Prepare.OfType<RunStep>().Single(s => s.Title.StartsWith("check the free disk")).Script);

        var refused = await check(PlanFor(huge, HostState.Empty));
        (await PlaceAsync(PlanFor(model, HostState.Empty), model)).ExitCode.ShouldBe(0);
        var kept = await check(PlanFor(huge, HostState.Empty with { Models = [model.Folder] }));

        refused.ExitCode.ShouldBe(1);
        refused.Reason.ShouldContain(" + model 8388608 + database copy 0 + MIN_FREE_DISK_MB 512)");
        kept.ExitCode.ShouldBe(0, kept.Errors);
    }

    [Fact]
    public async Task The_probe_reports_the_models_a_host_keeps()
    {
        var model = await PackAsync();
        (await PlaceAsync(PlanFor(model, HostState.Empty), model)).ExitCode.ShouldBe(0);
        var host = DeployConfigLoader.Parse(Yaml, "storagectl.yml").Hosts["web-1"];

        var state = HostState.Parse((await _host.RunAsync(Storagectl.HostCommands.ProbeCommands.TenantFolder(host, Acme, 5))).Output);

        state.Models.ShouldBe([model.Folder]);
    }

    [Fact]
    public async Task An_artifact_loads_only_with_the_model_bundle_its_manifest_names_and_its_bytes()
    {
        var model = await PackAsync();
        var file = Path.Combine(Path.GetDirectoryName(model.File)!, "storage-api-2.0.0.tar.gz");
        File.WriteAllBytes(file, [0x1f, 0x8b]);
        var artifact = new Artifact("storage-api", "2.0.0", "abc1234", DateTimeOffset.UnixEpoch, file, FileHash.Sha256(file), [], 2, 0, model);
        artifact.WriteManifest();

        Artifact.Load(file).Model.ShouldBe(model);
        File.ReadAllText(Artifact.ManifestPathFor(file)).ShouldContain($"\"file\": \"{Path.GetFileName(model.File)}\"");

        File.AppendAllText(model.File, "x");
        Should.Throw<ArtifactException>(() => Artifact.Load(file)).Message.ShouldStartWith($"{model.File}: sha256 is ");
        File.Delete(model.File);
        Should.Throw<ArtifactException>(() => Artifact.Load(file)).Message.ShouldBe($"{model.File}: the model bundle the manifest names is not beside the artifact");
    }
}
