using System.Text;

namespace DotEnv;

/// <summary>One variable of a <c>.env</c> file and the 1-based line it is set on.</summary>
internal sealed record DotEnvEntry(string Key, string Value, int Line);

/// <summary>What a <c>.env</c> file sets, and every problem in it as "file:line: message" (never with a value in it).</summary>
internal sealed record DotEnvDocument(IReadOnlyList<DotEnvEntry> Entries, IReadOnlyList<string> Errors)
{
    public IReadOnlyDictionary<string, string> Values => Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}

/// <summary>
/// The dotenv dialect that storage-api reads and storagectl reads and writes, so both sides agree on every value:
/// <list type="bullet">
/// <item><c>KEY=value</c>, optionally <c>export KEY=value</c>, with spaces or tabs allowed around <c>=</c>; a key is
/// letters, digits and <c>_</c>, not starting with a digit.</item>
/// <item>Blank lines and lines starting with <c>#</c> are ignored.</item>
/// <item>Unquoted: the value is trimmed and ends at a <c>#</c> that follows a space or tab (an inline comment);
/// a <c>#</c> right after <c>=</c> or inside a word stays part of it (<c>a#b</c>).</item>
/// <item><c>'single quotes'</c>: taken literally. <c>"double quotes"</c>: <c>\n</c>, <c>\r</c>, <c>\t</c>,
/// <c>\"</c> and <c>\\</c> are escapes; any other backslash stays as it is. Either may be followed by a comment.</item>
/// <item>No variable expansion: <c>$</c> is an ordinary character. A value is on one line (use <c>\n</c> in double quotes).</item>
/// <item>A key set twice is an error, not "last wins": for secrets, two values mean one of them is not the one in force.</item>
/// <item>UTF-8, with or without a byte order mark; LF or CRLF line endings.</item>
/// </list>
/// </summary>
internal static class DotEnvParser
{
    /// <summary>Reads a file; a missing file sets nothing, an unreadable one is an error.</summary>
    public static DotEnvDocument ReadFile(string path)
    {
        if (!File.Exists(path)) return new DotEnvDocument([], []);
        try
        {
            return Parse(File.ReadAllText(path, Encoding.UTF8), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DotEnvDocument([], [$"{path}: cannot be read ({e.Message})"]);
        }
    }

    /// <param name="source">The file name that errors start with.</param>
    public static DotEnvDocument Parse(string text, string source)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var entries = new List<DotEnvEntry>();
        var errors = new List<string>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var number = index + 1;
            var outcome = ParseLine(lines[index].TrimEnd('\r'));
            if (outcome.Error is { } error) errors.Add($"{source}:{number}: {error}");
            else if (outcome.Entry is var (key, value))
            {
                if (firstLineOf.TryGetValue(key, out var first))
                    errors.Add($"{source}:{number}: {key} is set again (first on line {first}); keep one");
                else
                {
                    firstLineOf[key] = number;
                    entries.Add(new DotEnvEntry(key, value, number));
                }
            }
        }
        return new DotEnvDocument(entries, errors);
    }

    private readonly record struct LineOutcome((string Key, string Value)? Entry, string? Error);

    private static LineOutcome ParseLine(string line)
    {
        var rest = line.AsSpan().TrimStart(" \t");
        if (rest.IsEmpty || rest[0] == '#') return default;
        if (rest.StartsWith("export") && rest.Length > 6 && rest[6] is ' ' or '\t') rest = rest[6..].TrimStart(" \t");

        var keyLength = 0;
        while (keyLength < rest.Length && (char.IsAsciiLetterOrDigit(rest[keyLength]) || rest[keyLength] == '_')) keyLength++;
        var afterKey = rest[keyLength..].TrimStart(" \t");
        // Without a key and '=', the line may be a pasted secret: say what is wrong without repeating it.
        if (keyLength == 0 || afterKey.IsEmpty || afterKey[0] != '=') return new LineOutcome(null, "expected KEY=value");
        var key = rest[..keyLength].ToString();
        if (char.IsAsciiDigit(key[0])) return new LineOutcome(null, $"{key}: a key cannot start with a digit");

        var raw = afterKey[1..];
        var value = raw.TrimStart(" \t");
        return value.IsEmpty ? new LineOutcome((key, ""), null)
            : value[0] == '\'' ? Quoted(key, value, Literal)
            : value[0] == '"' ? Quoted(key, value, Escaped)
            : new LineOutcome((key, Unquoted(raw)), null);
    }

    /// <summary>Up to an inline comment (a '#' after a space or tab), trimmed.</summary>
    private static string Unquoted(ReadOnlySpan<char> raw)
    {
        for (var i = 1; i < raw.Length; i++)
            if (raw[i] == '#' && raw[i - 1] is ' ' or '\t') return raw[..i].Trim(" \t").ToString();
        return raw.Trim(" \t").ToString();
    }

    private delegate int QuoteReader(ReadOnlySpan<char> body, StringBuilder value);

    private static LineOutcome Quoted(string key, ReadOnlySpan<char> text, QuoteReader read)
    {
        var value = new StringBuilder();
        var closing = read(text[1..], value);
        if (closing < 0) return new LineOutcome(null, $"{key}: the {text[0]} quote is not closed on this line");
        var after = text[(closing + 2)..].TrimStart(" \t");
        if (!after.IsEmpty && after[0] != '#') return new LineOutcome(null, $"{key}: unexpected text after the closing {text[0]} quote");
        return new LineOutcome((key, value.ToString()), null);
    }

    /// <summary>Single quotes: everything up to the next one, as it is. Returns the closing quote's index, or -1.</summary>
    private static int Literal(ReadOnlySpan<char> body, StringBuilder value)
    {
        var end = body.IndexOf('\'');
        if (end >= 0) value.Append(body[..end]);
        return end;
    }

    /// <summary>Double quotes with backslash escapes. Returns the closing quote's index, or -1.</summary>
    private static int Escaped(ReadOnlySpan<char> body, StringBuilder value)
    {
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '"') return i;
            if (c == '\\' && i + 1 < body.Length)
            {
                var escaped = body[i + 1] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', '"' => '"', '\\' => '\\', _ => (char?)null };
                if (escaped is { } known)
                {
                    value.Append(known);
                    i++;
                    continue;
                }
            }
            value.Append(c);
        }
        return -1;
    }
}
