namespace Storagectl.Configuration;

/// <summary>Writing a configuration file (or secrets file) so that a reader sees the old text or the new, never half of it.</summary>
public static class ConfigFile
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Readable = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes <paramref name="text"/> to a temporary file beside <paramref name="path"/> with the file's mode (0600 for a
    /// new file when <paramref name="privateWhenNew"/>, else 0644), then renames it over the file.
    /// </summary>
    public static void WriteAtomically(string path, string text, bool privateWhenNew = false)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            UnixFileMode? mode = null;
            if (!OperatingSystem.IsWindows())
            {
                mode = File.Exists(full) ? File.GetUnixFileMode(full) : privateWhenNew ? Private : Readable;
                options.UnixCreateMode = mode.Value;
            }
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            // The umask may have narrowed the mode the file was created with.
            if (mode is { } keep && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, keep);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
