using System.Text.RegularExpressions;
using Storagectl.Configuration;
using Storagectl.Planning;
using Storagectl.Processes;

namespace Storagectl.Releases;

/// <summary>
/// `storagectl build`: publishes the service once with version and commit stamped in, packs it as a .tar.gz and writes
/// the manifest beside it. The same bytes then go to every host, so what was tested is what runs.
/// </summary>
public static partial class ArtifactBuilder
{
    /// <summary>The platform releases are compiled for (the service project's RuntimeIdentifiers): 64-bit x86 Linux hosts.</summary>
    public const string HostRuntime = "linux-x64";

    public static async Task<Artifact> BuildAsync(DeployConfig config, string repository, string outputDirectory, string? version, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var git = new Git(repository);
        var commit = await git.RunAsync("rev-parse", "HEAD");
        version ??= await VersionFromGitAsync(repository, cancellationToken);
        if (!Artifact.VersionPattern().IsMatch(version) || version.Contains('+'))
            throw new ReleaseException($"'{version}' is not a usable version: letters, digits, '.' and '-' only");

        Directory.CreateDirectory(outputDirectory);
        var publish = Path.Combine(Path.GetTempPath(), $"storagectl-publish-{Guid.NewGuid():N}");
        var models = publish + "-models";
        try
        {
            await ProcessRunner.RequireAsync("dotnet",
                ["publish", Path.Combine(repository, config.Service.Project), "-c", "Release", "-o", publish, "--nologo", "-v", "quiet",
                 // Precompiled (ReadyToRun) for the hosts' platform: check-config, backup, migrate and the service's own
                 // start each take about half the CPU time they take when every method is compiled at first call.
                 "-r", HostRuntime, "--self-contained", "false", "-p:PublishReadyToRun=true",
                 $"-p:Version={version}", $"-p:SourceRevisionId={commit}",
                 // The local embedding model is published apart (StorageApi's build/EmbeddingModel.targets): it ships once per host.
                 $"-p:EmbeddingModelPublishDir={models}/"], repository, cancellationToken);
            if (!File.Exists(Path.Combine(publish, config.Service.Executable)))
                throw new ReleaseException($"the published output has no executable '{config.Service.Executable}'");
            var file = Path.GetFullPath(Path.Combine(outputDirectory, $"{config.Service.Name}-{version}.tar.gz"));
            await ProcessRunner.RequireAsync("tar", ["-czf", file, "-C", publish, "."], repository, cancellationToken);
            var model = await ModelBundles.PackAsync(models, outputDirectory, repository, cancellationToken);
            var artifact = new Artifact(config.Service.Name, version, commit, clock.GetUtcNow(), file, FileHash.Sha256(file),
                MigrationsIn(Path.Combine(repository, config.Service.Project)), new FileInfo(file).Length, ArtifactSize.UnpackedBytes(file), model);
            artifact.WriteManifest();
            return artifact;
        }
        finally
        {
            foreach (var folder in new[] { publish, models }.Where(Directory.Exists)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The artifact <see cref="BuildAsync"/> would make from the checkout, described without building it: version and
    /// commit from git, migrations from the sources, the file name it would get; no bytes, so no sha256 and no sizes.
    /// Reads the repository only, so `plan` without --artifact stays a question that changes nothing.
    /// </summary>
    public static async Task<Artifact> DescribeCheckoutAsync(DeployConfig config, string repository, string outputDirectory, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var commit = await new Git(repository).RunAsync("rev-parse", "HEAD");
        var version = await VersionFromGitAsync(repository, cancellationToken);
        var file = Path.GetFullPath(Path.Combine(outputDirectory, $"{config.Service.Name}-{version}.tar.gz"));
        return new Artifact(config.Service.Name, version, commit, clock.GetUtcNow(), file, "", MigrationsIn(Path.Combine(repository, config.Service.Project)));
    }

    /// <summary>The EF Core migration ids in the project's sources (their [Migration("…")] attributes), oldest first.</summary>
    public static IReadOnlyList<string> MigrationsIn(string project)
    {
        var folder = File.Exists(project) ? Path.GetDirectoryName(project)! : project;
        var separator = Path.DirectorySeparatorChar;
        return [.. Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}") && !f.Contains($"{separator}obj{separator}"))
            .SelectMany(f => MigrationAttribute().Matches(File.ReadAllText(f)).Select(m => m.Groups["id"].Value))
            .Distinct()
            .Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"\[Migration\(""(?<id>[^""]+)""\)\]")]
    private static partial Regex MigrationAttribute();

    /// <summary>
    /// On a release tag vX.Y.Z: X.Y.Z. Elsewhere: the patch after the last release and how far past it, e.g.
    /// 1.4.1-dev.7.g3f2a1bc after v1.4.0, and -dirty when the tree has uncommitted changes, so a staging build never looks
    /// like a release. The next patch, not the last release itself: semver sorts 1.4.0-dev.7 before 1.4.0, so a dev build
    /// made after the release candidate ran on staging would look like a downgrade of it; 1.4.1-dev.7 sorts after 1.4.0
    /// and before the hotfix 1.4.1, which may follow it onto staging.
    /// </summary>
    public static async Task<string> VersionFromGitAsync(string repository, CancellationToken cancellationToken = default)
    {
        var git = new Git(repository);
        var described = await git.TryAsync(["describe", "--tags", "--match", "v[0-9]*", "--long", "--dirty"], cancellationToken);
        var head = await git.RunAsync("rev-parse", "--short=7", "HEAD");
        if (!described.Succeeded) return $"0.0.0-dev.g{head}";
        var match = DescribePattern().Match(described.Output.Trim());
        if (!match.Success) return $"0.0.0-dev.g{head}";
        var (tag, distance, dirty) = (match.Groups["tag"].Value, match.Groups["distance"].Value, match.Groups["dirty"].Success);
        var version = distance == "0" ? tag : $"{NextPatch(tag)}-dev.{distance}.g{head}";
        return dirty ? version + (version.Contains('-') ? ".dirty" : "-dirty") : version;
    }

    private static string NextPatch(string release) =>
        SemanticVersion.TryParse(release, out var version) ? version.Next(Bump.Patch).ToString() : release;

    [GeneratedRegex(@"^v(?<tag>\d+\.\d+\.\d+)-(?<distance>\d+)-g[0-9a-f]+(?<dirty>-dirty)?$")]
    private static partial Regex DescribePattern();
}
