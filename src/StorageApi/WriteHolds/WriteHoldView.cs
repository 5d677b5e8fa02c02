using StorageApi.Data;

namespace StorageApi.WriteHolds;

/// <summary>
/// The <c>writeHold</c> of the full /health report (storagectl waits for held with 0 writes in flight), and the body of
/// <c>GET|PUT|DELETE /v1/admin/write-hold</c>.
/// </summary>
public sealed record WriteHoldView(bool Held, DateTime? Since, string? Reason, int? RetryAfterSeconds, long InFlightWrites)
{
    /// <summary>The hold (or none) and then the count: read the hold first, as <see cref="WriteHoldGate"/> explains.</summary>
    public static WriteHoldView Of(WriteHold? hold, WritesInFlight inFlight) => new(hold is not null, hold?.Since, hold?.Reason, hold?.RetryAfter, inFlight.Count);

    /// <summary>The hold first, then the count: the order <see cref="WriteHoldGate"/> explains. Null when the database cannot say.</summary>
    public static async Task<WriteHoldView?> ReadAsync(StorageDb db, WritesInFlight inFlight, CancellationToken cancellationToken)
    {
        WriteHold? hold;
        try
        {
            hold = await WriteHold.ReadAsync(db, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null; // the database check of the same report says why
        }
        return Of(hold, inFlight);
    }
}
