using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.WriteHolds;

/// <summary>
/// Writes held (read-only mode), for every instance on the database: an InstanceFacts row 'write-hold' with the JSON
/// {since, reason, retryAfter}. In the database, not in memory, so the blue and green slots, other instances and a
/// restart all honour it; no row means writes are accepted.
/// </summary>
public sealed record WriteHold(DateTime Since, string? Reason, int RetryAfter)
{
    public const string FactName = "write-hold";
    public const int DefaultRetryAfterSeconds = 5;
    public const int MaxRetryAfterSeconds = 3600;
    public const int MaxReasonLength = 200;

    /// <summary>Clients read the reason in every refused write's detail: one short line.</summary>
    public static bool IsValidReason(string? reason) => reason is null || (reason.Length <= MaxReasonLength && !reason.Any(char.IsControl));

    public static bool IsValidRetryAfter(int seconds) => seconds is >= 1 and <= MaxRetryAfterSeconds;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The hold, or null: one read by primary key, made for every write request (so never stale).</summary>
    public static async Task<WriteHold?> ReadAsync(StorageDb db, CancellationToken cancellationToken)
    {
        var value = await db.InstanceFacts.AsNoTracking().Where(f => f.Name == FactName).Select(f => f.Value).FirstOrDefaultAsync(cancellationToken);
        return value is null ? null : Parse(value);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A row that cannot be read still holds writes: someone meant to hold them, and refusing is the safe side.</summary>
    public static WriteHold Parse(string value)
    {
        try
        {
            return JsonSerializer.Deserialize<WriteHold>(value, Json) ?? Unreadable(value);
        }
        catch (JsonException)
        {
            return Unreadable(value);
        }
    }

    private static WriteHold Unreadable(string value) =>
        new(DateTime.MinValue, $"unreadable write-hold value '{value[..Math.Min(value.Length, 40)]}'", DefaultRetryAfterSeconds);
}
