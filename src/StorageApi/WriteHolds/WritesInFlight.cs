namespace StorageApi.WriteHolds;

/// <summary>
/// Requests that could change data and are being served by this process, counted from before their hold check to
/// their end: what storagectl waits to see at 0, together with the hold, before it copies a tenant's data.
/// </summary>
public sealed class WritesInFlight
{
    private long _count;

    /// <summary>
    /// Read after the hold: a write that was accepted incremented this (a full fence) before it read the hold, and so
    /// before the hold's commit that the caller saw; Volatile.Read then sees that increment unless the write has ended.
    /// </summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Counts a write until the returned value is disposed. Call it before reading the hold, never after.</summary>
    public Entered Enter()
    {
        Interlocked.Increment(ref _count);
        return new Entered(this);
    }

    public readonly struct Entered(WritesInFlight counter) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref counter._count);
    }
}
