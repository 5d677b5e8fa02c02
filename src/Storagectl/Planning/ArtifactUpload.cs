namespace Storagectl.Planning;

/// <summary>The host's side of an upload: the bytes arrive on stdin in a .part file, which a failed write (a full disk) does not leave behind.</summary>
public static class ArtifactUpload
{
    public static string PartOf(string remoteFile) => remoteFile + ".part";

    /// <summary>cat's own error (e.g. "No space left on device") stays the last line on stderr, so it becomes the reason.</summary>
    public static string Script(string remoteFile)
    {
        var part = Shell.Quote(PartOf(remoteFile));
        return $"mkdir -p \"$(dirname {part})\" && {{ cat > {part} || {{ rm -f {part}; exit 1; }}; }}";
    }
}
