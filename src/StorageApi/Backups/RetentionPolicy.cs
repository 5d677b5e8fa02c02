namespace StorageApi.Backups;

/// <summary>
/// Which snapshots retention keeps: the newest of each of the last <c>hourly</c> hours and of each of the last
/// <c>daily</c> days (UTC, counted back from now, this hour and today included), and always the newest of all.
/// </summary>
public static class RetentionPolicy
{
    public static IReadOnlySet<string> Keep(IEnumerable<(string Id, DateTime TakenAt)> snapshots, DateTime now, int hourly, int daily)
    {
        var newestFirst = snapshots.OrderByDescending(s => s.TakenAt).ThenByDescending(s => s.Id, StringComparer.Ordinal).ToList();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        if (newestFirst.Count == 0) return keep;
        keep.Add(newestFirst[0].Id);
        var thisHour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        KeepNewestPerPeriod(newestFirst, keep, thisHour.AddHours(-(hourly - 1)), t => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc), hourly);
        KeepNewestPerPeriod(newestFirst, keep, now.Date.AddDays(-(daily - 1)), t => t.Date, daily);
        return keep;
    }

    private static void KeepNewestPerPeriod(List<(string Id, DateTime TakenAt)> newestFirst, HashSet<string> keep, DateTime from, Func<DateTime, DateTime> period, int count)
    {
        if (count <= 0) return;
        var seen = new HashSet<DateTime>();
        foreach (var (id, takenAt) in newestFirst)
            if (takenAt >= from && seen.Add(period(takenAt))) keep.Add(id);
    }
}
