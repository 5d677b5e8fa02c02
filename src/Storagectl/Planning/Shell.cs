namespace Storagectl.Planning;

/// <summary>Quoting for the POSIX shell on the hosts: every path and value in a command goes through here.</summary>
public static class Shell
{
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "/._-:=@%+,".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\"'\"'") + "'";

    /// <summary>Commands joined so that the first failure stops the rest.</summary>
    public static string All(params IEnumerable<string> commands) => string.Join(" && ", commands);
}
