using StorageApi.Data;
using StorageApi.Objects;
using StorageApi.Problems;

namespace StorageApi.Search;

/// <summary>The parameters of <c>GET /v1/search</c>: q (required), k, collection, contentType. Anything else is a 400.</summary>
public sealed record SearchQuery(string Text, int K, string? Collection, string? ContentType)
{
    public static readonly IReadOnlySet<string> Parameters = new HashSet<string>(["q", "k", "collection", "contentType"]);

    public static SearchQuery Parse(IQueryCollection query)
    {
        RejectUnknown(query, Parameters);
        var text = Single(query, "q")?.Trim();
        if (string.IsNullOrEmpty(text)) throw ApiProblemException.BadRequest("'q' is required: the text to search for.");
        if (text.Length > SearchLimits.QueryLength) throw ApiProblemException.BadRequest($"'q' is longer than {SearchLimits.QueryLength} characters.");
        if (text.Any(char.IsControl)) throw ApiProblemException.BadRequest("'q' contains control characters.");
        var contentType = Single(query, "contentType");
        if (contentType is { Length: > 255 }) throw ApiProblemException.BadRequest("'contentType' is longer than 255 characters.");
        return new SearchQuery(text, ParseK(query), ObjectFieldRules.Collection(Single(query, "collection")), contentType);
    }

    /// <summary>The number of results asked for: 1 to 100, 10 when absent.</summary>
    public static int ParseK(IQueryCollection query)
    {
        var k = SearchLimits.DefaultResults;
        if (Single(query, "k") is { } text && (!int.TryParse(text, out k) || k is < 1 or > SearchLimits.MaxResults))
            throw ApiProblemException.BadRequest($"'k' must be a whole number from 1 to {SearchLimits.MaxResults}.");
        return k;
    }

    public static void RejectUnknown(IQueryCollection query, IReadOnlySet<string> known)
    {
        foreach (var name in query.Keys)
            if (!known.Contains(name))
                throw ApiProblemException.BadRequest($"Unknown query parameter '{name}'. Known: {string.Join(", ", known)}.");
    }

    private static string? Single(IQueryCollection query, string name) => query[name].Count > 1
        ? throw ApiProblemException.BadRequest($"The parameter '{name}' is given more than once.")
        : query[name].ToString() is { Length: > 0 } value ? value : null;
}
