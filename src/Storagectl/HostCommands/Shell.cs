namespace Storagectl.HostCommands;

/// <summary>Quoting for the POSIX shell on the hosts: every path and value in a host command goes through <see cref="Quote"/>.</summary>
public static class Shell
{
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "/._-:=@%+,".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\"'\"'") + "'";

    /// <summary>Commands joined so that the first failure stops the rest.</summary>
    public static string All(params IEnumerable<string> commands) => string.Join(" && ", commands);

    /// <summary>Scripts run one after another, stopping at the first failure.</summary>
    public static string Lines(params IEnumerable<string> scripts) => "set -e\n" + string.Join('\n', scripts);

    /// <summary>What ssh hands the remote shell: one string, quoted so that the script arrives byte for byte.</summary>
    public static string InBash(string script) => "bash -c " + Quote(script);
}
