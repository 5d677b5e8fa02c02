namespace StorageApi.Data;

/// <summary>Sizes used by search, shared by the code and the database schema.</summary>
public static class SearchLimits
{
    /// <summary>How much of a text-like file is indexed and embedded.</summary>
    public const int ContentBytes = 16 * 1024;
    /// <summary>The longest error kept on a queue entry.</summary>
    public const int ErrorLength = 1000;
    public const int QueryLength = 1000;
    public const int MaxResults = 100;
    public const int DefaultResults = 10;
}
