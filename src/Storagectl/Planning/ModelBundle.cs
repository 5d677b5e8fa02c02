namespace Storagectl.Planning;

/// <summary>
/// The service's local embedding model (all-MiniLM-L6-v2: model.onnx, vocab.txt, and a SHA256SUMS of both), packed by
/// `storagectl build` as a .tar beside the artifact and named in its manifest. It is ~90 MB and changes far less often
/// than the service, so it does not travel inside each release: a host keeps one copy per bundle in
/// &lt;root&gt;/models/&lt;name&gt;-&lt;sha12&gt;, uploaded only when missing, and each release links to the one it was built with.
/// </summary>
public sealed record ModelBundle(string Name, string File, string Sha256, long Bytes)
{
    /// <summary>The host folder: one per model and bundle, so two builds of the same model share it and a new model never replaces one in use.</summary>
    public string Folder => $"{Name}-{Artifact.ShortHash(Sha256)}";

    /// <summary>Where the service looks for it inside a release (beside its executable: its default EMBEDDING_MODEL_DIR).</summary>
    public string LinkInRelease => $"models/{Name}";

    /// <summary>The file that lists the sha256 of every file in the bundle, checked on the host after each unpack.</summary>
    public const string SumsFile = "SHA256SUMS";
}
