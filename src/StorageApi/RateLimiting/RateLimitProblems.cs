using System.Globalization;
using StorageApi.Problems;

namespace StorageApi.RateLimiting;

/// <summary>The names of the limits, as 429 problems and the <c>storage.rate_limited</c> metric call them.</summary>
public static class LimitNames
{
    public const string Requests = "requests";
    public const string AnonymousRequests = "anonymousRequests";
    public const string UploadBytes = "uploadBytes";
    public const string ConcurrentUploads = "concurrentUploads";
}

public static class RateLimitProblems
{
    /// <summary>
    /// A 429 problem with Retry-After and RateLimit-* headers that describe the limit that was hit, and that limit's
    /// name and the wait in the body, so clients need not parse the text.
    /// </summary>
    public static ApiProblemException TooManyRequests(string limit, string detail, BucketState state, long retryAfterSeconds)
    {
        var problem = new ApiProblemException(StatusCodes.Status429TooManyRequests, "Too many requests", detail)
        {
            Headers = { ["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) },
            Extensions = { ["limit"] = limit, ["retryAfterSeconds"] = retryAfterSeconds },
        };
        foreach (var (name, value) in RateLimitHeaders.Of(state)) problem.Headers[name] = value;
        return problem;
    }
}
