using System.Text.RegularExpressions;

namespace StorageApi.ObjectStores;

/// <summary>What a key may look like, checked before any store turns it into a path or a request.</summary>
public static partial class ObjectKeys
{
    public static void Validate(string key)
    {
        if (!KeyPattern().IsMatch(key) || key.Split('/').Any(segment => segment is "." or ".." || segment.StartsWith('.')))
            throw new ArgumentException($"invalid object key '{key}'", nameof(key));
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")]
    private static partial Regex KeyPattern();
}
