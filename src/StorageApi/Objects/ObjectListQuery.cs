using System.Globalization;
using System.Text;
using StorageApi.Problems;
using StorageApi.Tenancy;

namespace StorageApi.Objects;

/// <summary>Filters and keyset pagination for listing objects, newest first.</summary>
public sealed record ObjectListQuery(string? Collection, string? Tag, string? ContentType, string? Text, int Limit, ObjectCursor? After)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;
    public static readonly IReadOnlySet<string> Parameters = new HashSet<string>(["collection", "tag", "contentType", "q", "limit", "cursor"]);

    public static ObjectListQuery Parse(IQueryCollection query)
    {
        foreach (var name in query.Keys)
            if (!Parameters.Contains(name))
                throw ApiProblemException.BadRequest($"Unknown query parameter '{name}'. Known: {string.Join(", ", Parameters)}.");
        string? One(string name) => query[name].Count > 1
            ? throw ApiProblemException.BadRequest($"The parameter '{name}' is given more than once.")
            : query[name].ToString() is { Length: > 0 } value ? value : null;

        var limit = DefaultLimit;
        if (One("limit") is { } limitText && (!int.TryParse(limitText, out limit) || limit is < 1 or > MaxLimit))
            throw ApiProblemException.BadRequest($"'limit' must be a whole number from 1 to {MaxLimit}.");
        return new ObjectListQuery(
            ObjectFieldRules.Collection(One("collection")),
            One("tag"),
            One("contentType"),
            One("q")?.Trim().ToLowerInvariant(),
            limit,
            One("cursor") is { } cursor ? ObjectCursor.Parse(cursor) : null);
    }
}

/// <summary>The position after the last object of a page: its creation time and id. Opaque to clients.</summary>
public sealed record ObjectCursor(DateTime CreatedAt, string Id)
{
    public string Encode() => Secrets.Base64Url(Encoding.UTF8.GetBytes($"{CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture)}|{Id}"));

    public static ObjectCursor Parse(string value)
    {
        var parts = Secrets.FromBase64Url(value) is { } bytes ? Encoding.UTF8.GetString(bytes).Split('|') : [];
        if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks)
            && ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks && parts[1].Length is > 0 and <= 40)
            return new ObjectCursor(new DateTime(ticks, DateTimeKind.Utc), parts[1]);
        throw ApiProblemException.BadRequest("'cursor' is not a cursor returned by this API.");
    }
}
