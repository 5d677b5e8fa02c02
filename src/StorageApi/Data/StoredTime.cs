namespace StorageApi.Data;

public static class StoredTime
{
    /// <summary>
    /// Now, in UTC, to the microsecond: what PostgreSQL keeps (SQLite keeps more). A timestamp written and then
    /// answered from memory equals the same timestamp read back later, on either database.
    /// </summary>
    public static DateTime UtcNowStored(this TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
