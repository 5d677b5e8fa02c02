namespace Storagectl.Hosts;

/// <summary>
/// A few words for why a host could not be read, for a table cell ("unreachable: ssh connection refused"); the full
/// message goes under the table and into --json, where there is room for it.
/// </summary>
public static class Unreachable
{
    private static readonly (string Says, string Summary)[] Known =
    [
        ("Connection refused", "ssh connection refused"),
        ("Connection timed out", "ssh connection timed out"),
        ("Operation timed out", "ssh connection timed out"),
        ("Could not resolve hostname", "host name not found"),
        ("Name or service not known", "host name not found"),
        ("No route to host", "no route to host"),
        ("Network is unreachable", "network unreachable"),
        ("Host key verification failed", "host key not trusted"),
        ("REMOTE HOST IDENTIFICATION HAS CHANGED", "host key changed"),
        ("Permission denied", "ssh permission denied"),
        ("Connection closed", "ssh connection closed"),
        ("Connection reset", "ssh connection reset"),
        ("kex_exchange_identification", "ssh connection closed"),
        ("lost the connection", "ssh connection lost"),
    ];

    /// <summary>"unreachable: ssh connection refused"; "cannot read the host" when ssh got through but the probe failed (or the message is new).</summary>
    public static string Summarize(string error) =>
        Known.FirstOrDefault(k => error.Contains(k.Says, StringComparison.OrdinalIgnoreCase)).Summary is { } summary
            ? $"unreachable: {summary}" : "cannot read the host";

    /// <summary>The message on one line, for notes and logs.</summary>
    public static string OneLine(string error) =>
        string.Join(" | ", error.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
