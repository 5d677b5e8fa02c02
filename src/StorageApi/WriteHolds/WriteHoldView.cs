using StorageApi.Data;

namespace StorageApi.WriteHolds;

/// <summary>The <c>writeHold</c> of the full /health report: storagectl waits for held with 0 writes in flight.</summary>
public sealed record WriteHoldView(bool Held, DateTime? Since, string? Reason, long InFlightWrites)
{
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
        return new WriteHoldView(hold is not null, hold?.Since, hold?.Reason, inFlight.Count);
    }
}
