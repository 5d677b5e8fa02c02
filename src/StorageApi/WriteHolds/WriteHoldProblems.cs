using System.Globalization;
using StorageApi.Problems;

namespace StorageApi.WriteHolds;

public static class WriteHoldProblems
{
    /// <summary>503 with Retry-After: a client that retries after the hold (a move, a restore) has its write accepted.</summary>
    public static ApiProblemException Held(WriteHold hold)
    {
        var reason = string.IsNullOrWhiteSpace(hold.Reason) ? "" : $" ({hold.Reason.Trim()})";
        var detail = $"Writes are held since {hold.Since:yyyy-MM-dd'T'HH:mm:ss'Z'}{reason}; nothing was stored or changed. " +
                     $"Reads, downloads and search keep working. Try again in {hold.RetryAfter} s.";
        return new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail)
        {
            Headers = { ["Retry-After"] = hold.RetryAfter.ToString(CultureInfo.InvariantCulture) },
            Extensions = { ["writesHeldSince"] = hold.Since, ["retryAfterSeconds"] = hold.RetryAfter },
        };
    }
}
