namespace StorageApi.Search.Keywords;

/// <summary>
/// English function words. Keyword search ORs every word of a query, so without this list an object sharing only "in"
/// and "the" with "a dog playing in the park" gets a keyword rank, and rank fusion can put it above an object found by
/// meaning alone. A query made only of these words keeps them: it means them.
/// </summary>
public static class StopWords
{
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being", "but",
        "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how", "i",
        "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "she", "so", "some",
        "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "up", "us", "was",
        "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
    };

    public static bool Contains(string word) => Words.Contains(word);

    /// <summary>The words that carry meaning, or all of them when none does.</summary>
    public static IReadOnlyList<string> Without(IReadOnlyList<string> words) =>
        words.Where(w => !Contains(w)).ToList() is { Count: > 0 } meaningful ? meaningful : words;
}
