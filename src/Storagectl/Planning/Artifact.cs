using System.Text.Json;
using System.Text.RegularExpressions;

namespace Storagectl.Planning;

/// <summary>
/// The one build that goes to every host: a .tar.gz of the published service, described by a manifest beside it
/// (<c>&lt;file&gt;.manifest.json</c>) that records version, commit, the sha256 each host checks after the upload, and
/// the database migrations the release contains. Each host keeps a copy as <c>releases/&lt;version&gt;/release.json</c>,
/// so plans can tell which migrations are pending and rollbacks know what they go back to.
/// <see cref="Bytes"/> and <see cref="UnpackedBytes"/> tell the plan how much disk a host needs for the upload and the unpack.
/// </summary>
public sealed partial record Artifact(string Service, string Version, string Commit, DateTimeOffset BuiltAt, string File, string Sha256,
    IReadOnlyList<string>? Migrations = null, long? Bytes = null, long? UnpackedBytes = null, ModelBundle? Model = null)
{
    /// <summary>The first 12 hex digits of a sha256: enough to tell builds apart in a line or a table cell.</summary>
    public static string ShortHash(string sha256) => sha256[..Math.Min(12, sha256.Length)];

    /// <summary>Whether two sha256 hex digests name the same bytes (hex case does not matter); an unknown one never matches.</summary>
    public static bool SameBytes(string? sha256, string? other) => sha256 is not null && string.Equals(sha256, other, StringComparison.OrdinalIgnoreCase);

    public static string ManifestPathFor(string artifactFile) => artifactFile + ".manifest.json";

    /// <summary>
    /// False for the checkout described but not built (what `plan` without --artifact plans): no bytes, so no sha256
    /// and no sizes. Such an artifact can be printed, never deployed.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsBuilt => Sha256.Length > 0;

    /// <summary>The manifest as written beside the artifact and on the hosts: files by name only.</summary>
    public string ManifestJson() =>
        JsonSerializer.Serialize(this with { File = Path.GetFileName(File), Model = Model is null ? null : Model with { File = Path.GetFileName(Model.File) } }, JsonOptions.Indented);

    public void WriteManifest() => System.IO.File.WriteAllText(ManifestPathFor(File), ManifestJson());

    /// <summary>A manifest read back from a host (one line of JSON), or null when it is not one.</summary>
    public static Artifact? FromJson(string json)
    {
        try { return JsonSerializer.Deserialize<Artifact>(json, JsonOptions.Indented); }
        catch (JsonException) { return null; }
    }

    /// <summary>Reads the manifest beside <paramref name="artifactFile"/> and checks that the bytes still match it.</summary>
    public static Artifact Load(string artifactFile)
    {
        var manifestPath = ManifestPathFor(artifactFile);
        if (!System.IO.File.Exists(artifactFile)) throw new ArtifactException($"{artifactFile}: no such artifact");
        if (!System.IO.File.Exists(manifestPath)) throw new ArtifactException($"{manifestPath}: no manifest beside the artifact; build it with `storagectl build`");
        Artifact? manifest;
        try { manifest = JsonSerializer.Deserialize<Artifact>(System.IO.File.ReadAllText(manifestPath), JsonOptions.Indented); }
        catch (JsonException e) { throw new ArtifactException($"{manifestPath}: not a valid manifest: {e.Message}"); }
        if (manifest is null || !VersionPattern().IsMatch(manifest.Version ?? "") || string.IsNullOrEmpty(manifest.Sha256))
            throw new ArtifactException($"{manifestPath}: the manifest needs a version (letters, digits, '.', '-', '+') and a sha256");
        var actual = FileHash.Sha256(artifactFile);
        if (!SameBytes(actual, manifest.Sha256))
            throw new ArtifactException($"{artifactFile}: sha256 is {actual} but the manifest says {manifest.Sha256}; the artifact changed after it was built");
        // Manifests written before the sizes were recorded still load: the sizes come from the file itself.
        return manifest with
        {
            File = Path.GetFullPath(artifactFile),
            Model = manifest.Model is { } model ? LoadModel(artifactFile, model) : null,
            Bytes = new FileInfo(artifactFile).Length,
            UnpackedBytes = manifest.UnpackedBytes ?? UnpackedBytesOf(artifactFile),
        };
    }

    /// <summary>The model bundle the manifest names, beside the artifact, with the bytes it names.</summary>
    private static ModelBundle LoadModel(string artifactFile, ModelBundle model)
    {
        if (string.IsNullOrEmpty(model.Name) || model.Sha256 is not { Length: 64 } || !model.Sha256.All(Uri.IsHexDigit) || Path.GetFileName(model.File) != model.File || !VersionPattern().IsMatch(model.Name))
            throw new ArtifactException($"{ManifestPathFor(artifactFile)}: the model needs a name (letters, digits, '.', '-'), a file name and a sha256");
        var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(artifactFile))!, model.File);
        if (!System.IO.File.Exists(file)) throw new ArtifactException($"{file}: the model bundle the manifest names is not beside the artifact");
        var actual = FileHash.Sha256(file);
        if (!SameBytes(actual, model.Sha256))
            throw new ArtifactException($"{file}: sha256 is {actual} but the manifest says {model.Sha256}; the model bundle changed after it was built");
        return model with { File = file, Bytes = new FileInfo(file).Length };
    }

    private static long UnpackedBytesOf(string artifactFile)
    {
        try { return ArtifactSize.UnpackedBytes(artifactFile); }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ArtifactException($"{artifactFile}: not a readable .tar.gz: {e.Message}");
        }
    }

    /// <summary>Versions become folder names on hosts, so only these characters are allowed.</summary>
    [GeneratedRegex(@"^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$")]
    public static partial Regex VersionPattern();
}

public sealed class ArtifactException(string message) : Exception(message);

public static class FileHash
{
    public static string Sha256(string file)
    {
        using var stream = System.IO.File.OpenRead(file);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
