using System.Text.RegularExpressions;

namespace StorageApi.Search.Keywords;

/// <summary>
/// Turns what a person typed into an FTS5 query that cannot be a syntax error or an injection: every word becomes a
/// quoted term, and the terms are joined with OR (bm25 ranks objects that match more of them higher). Function words
/// are left out (<see cref="StopWords"/>).
/// </summary>
public static partial class Fts5Query
{
    public const int MaxTerms = 32;

    /// <summary>The MATCH expression, or null when the text has no words.</summary>
    public static string? From(string text)
    {
        var terms = Words(text);
        return terms.Count == 0 ? null : string.Join(" OR ", terms.Select(t => $"\"{t}\""));
    }

    /// <summary>
    /// The distinct lower-case words of <paramref name="text"/> that carry meaning (<see cref="StopWords"/>), at most
    /// <see cref="MaxTerms"/>, as both engines tokenise them.
    /// </summary>
    public static IReadOnlyList<string> Words(string text) =>
        [.. StopWords.Without([.. Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct(StringComparer.Ordinal)]).Take(MaxTerms)];

    // Letters, digits and combining marks: the characters unicode61 keeps in tokens. Quotes never get through.
    [GeneratedRegex(@"[\p{L}\p{N}\p{M}]+")]
    private static partial Regex Word();
}
