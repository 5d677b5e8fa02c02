using System.Globalization;

namespace StorageApi.RateLimiting;

/// <summary>
/// The RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset headers of the IETF draft
/// (draft-ietf-httpapi-ratelimit-headers): the bucket's capacity, what is left of it, and seconds until it is full again.
/// </summary>
public static class RateLimitHeaders
{
    public const string Limit = "RateLimit-Limit";
    public const string Remaining = "RateLimit-Remaining";
    public const string Reset = "RateLimit-Reset";

    public static IEnumerable<KeyValuePair<string, string>> Of(BucketState state) =>
    [
        new(Limit, state.Limit.ToString(CultureInfo.InvariantCulture)),
        new(Remaining, state.Remaining.ToString(CultureInfo.InvariantCulture)),
        new(Reset, state.ResetSeconds.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>
    /// Adds the headers when the response starts, so error responses (whose headers the exception handler clears) carry
    /// them too; a 429 that already describes the limit it hit keeps its own.
    /// </summary>
    public static void AddWhenStarting(HttpResponse response, BucketState state) => response.OnStarting(() =>
    {
        if (!response.Headers.ContainsKey(Limit))
            foreach (var (name, value) in Of(state)) response.Headers[name] = value;
        return Task.CompletedTask;
    });
}
