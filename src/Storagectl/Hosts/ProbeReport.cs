namespace Storagectl.Hosts;

/// <summary>One check of the isolation probe: what was asked of which tenant's instance, what it had to answer and what it did.</summary>
public sealed record ProbeCheck(string Tenant, string Check, string Expected, string Got)
{
    public bool Ok => Got == Expected;

    public override string ToString() => $"{Tenant} {Check}: expected {Expected}, got {Got}";
}

/// <summary>
/// What an isolation probe found: its checks, the tenants whose own-key checks waited for them to exist, instances
/// it left out (not deployed), and anything its cleanup could not remove (a failure too: no probe key may stay).
/// </summary>
public sealed record ProbeReport(IReadOnlyList<ProbeCheck> Checks, IReadOnlyList<string> Notes, IReadOnlyList<string> CleanupFailures)
{
    public IReadOnlyList<ProbeCheck> Failed => [.. Checks.Where(c => !c.Ok)];

    public bool Passed => Failed.Count == 0 && CleanupFailures.Count == 0;

    /// <summary>The one line that says how it went, naming every failed check and every cleanup failure.</summary>
    public string Summary => Passed
        ? $"isolation probe passed: {Checks.Count} of {Checks.Count} checks; probe keys and objects removed"
        : "isolation probe FAILED: " + string.Join("; ", new[]
        {
            Failed.Count == 0 ? null : $"{Failed.Count} of {Checks.Count} checks failed: {string.Join("; ", Failed)}",
            CleanupFailures.Count == 0 ? null : $"cleanup failed: {string.Join("; ", CleanupFailures)}",
        }.Where(p => p is not null));

    /// <summary>The checks as rows: tenant, check, expected, got, ok|FAIL.</summary>
    public IEnumerable<string[]> Rows => Checks.Select(c => new[] { c.Tenant, c.Check, c.Expected, c.Got, c.Ok ? "ok" : "FAIL" });

    public static readonly string[] Headers = ["TENANT", "CHECK", "EXPECTED", "GOT", "OK"];

    /// <summary>The table as aligned plain lines, then the notes, the cleanup failures and the summary.</summary>
    public IReadOnlyList<string> Lines()
    {
        var rows = Rows.ToList();
        var widths = Headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        return [Line(Headers), .. rows.Select(Line), .. Notes, .. CleanupFailures.Select(f => "cleanup FAILED: " + f), Summary];
    }
}
