namespace Storagectl.HostCommands;

/// <summary>The host's side of an upload: the bytes arrive on stdin in a .part file, which a failed write (a full disk) does not leave behind.</summary>
public static class ArtifactCommands
{
    public static string PartOf(string remoteFile) => remoteFile + ".part";

    /// <summary>cat's own error (e.g. "No space left on device") stays the last line on stderr, so it becomes the reason.</summary>
    public static string Receive(string remoteFile)
    {
        var part = Shell.Quote(PartOf(remoteFile));
        return $"mkdir -p \"$(dirname {part})\" && {{ cat > {part} || {{ rm -f {part}; exit 1; }}; }}";
    }

    /// <summary>Moves the received bytes into place only when they match the sha256 the manifest names.</summary>
    public static string VerifyAndPlace(string remoteFile, string sha256)
    {
        var part = Shell.Quote(PartOf(remoteFile));
        return $"echo {Shell.Quote(sha256 + "  " + PartOf(remoteFile))} | sha256sum -c --quiet - && mv {part} {Shell.Quote(remoteFile)}" +
               $" || {{ rm -f {part}; echo 'the uploaded artifact does not match its sha256' >&2; exit 1; }}";
    }

    /// <summary>The upload and whatever part of it arrived.</summary>
    public static string Remove(string remoteFile) => $"rm -f {Shell.Quote(remoteFile)} {Shell.Quote(PartOf(remoteFile))}";
}
