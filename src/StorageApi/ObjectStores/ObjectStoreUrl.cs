using System.Text.RegularExpressions;

namespace StorageApi.ObjectStores;

/// <summary>
/// The address of an object store: <c>file:</c> (the service's default folder, data/blobs), <c>file:///abs/folder</c>
/// or an absolute folder path, or <c>s3://bucket[/prefix]</c>. <see cref="Text"/> is the canonical form, without
/// credentials (those come from S3_* variables): the database records it per blob, so <c>file:</c> stays valid when
/// the data folder moves.
/// </summary>
public sealed partial record ObjectStoreUrl
{
    public const string DefaultFile = "file:";

    private ObjectStoreUrl(string text, string? folder, string? bucket, string prefix) =>
        (Text, Folder, Bucket, Prefix) = (text, folder, bucket, prefix);

    public string Text { get; }
    /// <summary>The absolute folder of a file store (resolved against the default for <c>file:</c>); null for S3.</summary>
    public string? Folder { get; }
    public string? Bucket { get; }
    /// <summary>The key prefix inside the bucket, without slashes at either end; empty for none.</summary>
    public string Prefix { get; }

    public bool IsS3 => Bucket is not null;

    public override string ToString() => Text;

    /// <summary>Parses <paramref name="value"/>; <c>file:</c> means <paramref name="defaultFolder"/>. Throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static ObjectStoreUrl Parse(string value, string defaultFolder)
    {
        value = value.Trim();
        if (value == DefaultFile) return new ObjectStoreUrl(DefaultFile, defaultFolder, null, "");
        if (value.StartsWith('/')) return ForFolder(value);
        if (value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var path = value["file:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal)) path = path[2..]; // file:///abs: an empty host
            if (!path.StartsWith('/')) throw new FormatException($"'{value}' must name an absolute folder (file:///srv/blobs), or be just 'file:'");
            return ForFolder(Uri.UnescapeDataString(path));
        }
        if (value.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = value["s3://".Length..];
            var slash = rest.IndexOf('/');
            var bucket = slash < 0 ? rest : rest[..slash];
            var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
            if (!BucketPattern().IsMatch(bucket))
                throw new FormatException($"'{value}' has no valid bucket name (3-63 lower-case letters, digits, dots and hyphens): s3://bucket/prefix");
            if (prefix.Length > 0 && (!PrefixPattern().IsMatch(prefix) || prefix.Split('/').Any(segment => segment is "." or "..")))
                throw new FormatException($"'{value}' has a prefix with characters other than letters, digits, '.', '_', '-' and '/' between them, or a '.' or '..' segment");
            return new ObjectStoreUrl(prefix.Length == 0 ? $"s3://{bucket}" : $"s3://{bucket}/{prefix}", null, bucket, prefix);
        }
        throw new FormatException($"'{value}' is neither file: (a folder) nor s3://bucket/prefix");
    }

    private static ObjectStoreUrl ForFolder(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return new ObjectStoreUrl("file://" + full, full, null, "");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")]
    private static partial Regex PrefixPattern();
}
